/**
 * `splade eval --model <dir|hub-id|bm25> (--beir <dir> [--split test] [--title] | --nanobeir <names|all>)
 *   [--batch-size N] [--max-active-dims N] [--conventions st|trec] [--approximate [knobs]] [--output <file.json>]`
 * Evaluates a model as sentence-transformers' Sparse(NanoBEIR|InformationRetrieval)Evaluator does and prints
 * the card-shaped table (metric rows, dataset columns; NanoBEIR adds NanoBEIR_mean). --output writes the
 * JSON report and a CSV beside it. --approximate retrieves with the index's approximate search instead of
 * the exact one (approximate-option.ts), to measure what it costs in quality. Progress goes to stderr on a terminal.
 */
import { Command, InvalidArgumentError } from "commander";
import { evaluateModel, type EvaluationPhase } from "../../app/evaluate.js";
import { openEvaluationModel } from "../../app/evaluation-model.js";
import { hubOptionsFromEnv } from "../../hub/index.js";
import { encoderOptionsFromEnv } from "../env-options.js";
import { loadBeirDataset } from "../../eval/beir.js";
import { DEFAULT_BATCH_SIZE } from "../../eval/defaults.js";
import type { Conventions } from "../../eval/ir-metrics.js";
import { loadNanoBeirDataset, parseNanoBeirNames } from "../../eval/nanobeir.js";
import { formatCardTable } from "../../eval/report.js";
import { writeEvaluationReport } from "../../eval/report-files.js";
import { SpladeError } from "../../util/errors.js";
import { createProgress } from "../progress.js";
import { conventionsOption } from "./eval-run.js";
import { approximateOption, type ApproximateFlag } from "./approximate-option.js";

interface EvalFlags {
  model: string;
  beir?: string;
  split: string;
  title?: boolean;
  nanobeir?: string;
  batchSize: number;
  maxActiveDims?: number;
  conventions: Conventions;
  output?: string;
  approximate?: ApproximateFlag;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

const PHASE_LABEL: Record<EvaluationPhase, string> = {
  load: "loading",
  "encode-queries": "encoding queries",
  "encode-corpus": "encoding corpus",
  search: "searching",
};

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description("Evaluate a model on a BEIR folder or NanoBEIR datasets; prints the model card's metric table")
    .requiredOption("--model <model>", "SPLADE model folder or Hub id, or bm25")
    .option("--beir <dir>", "BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv)")
    .option("--split <name>", "qrels split of the BEIR folder", "test")
    .option("--title", "prepend each document's title to its text (BEIR)")
    .option("--nanobeir <names>", "NanoBEIR datasets from the Hub: all, or a comma-separated list (msmarco,nq,…)")
    .option("--batch-size <n>", "encoding batch size", positiveInteger, DEFAULT_BATCH_SIZE)
    .option("--max-active-dims <n>", "keep only the n largest weights of every vector", positiveInteger)
    .addOption(conventionsOption())
    .addOption(approximateOption())
    .option("--output <file.json>", "write the JSON report there (and a CSV beside it)")
    .action(async (flags: EvalFlags) => {
      if ((flags.beir === undefined) === (flags.nanobeir === undefined)) {
        throw new SpladeError("INVALID_ARGUMENT", "give exactly one of --beir <dir> or --nanobeir <names|all>");
      }
      const hub = hubOptionsFromEnv(process.env);
      const beir = flags.beir;
      const datasets =
        beir !== undefined
          ? [() => loadBeirDataset(beir, { split: flags.split, title: flags.title ?? false })]
          : parseNanoBeirNames(flags.nanobeir!).map((name) => () => loadNanoBeirDataset(name, hub));
      const model = await openEvaluationModel(flags.model, { hub: encoderOptionsFromEnv(process.env) });
      let progress = createProgress("eval");
      let label = "";
      const columns = await evaluateModel({
        model,
        datasets,
        conventions: flags.conventions,
        batchSize: flags.batchSize,
        ...(flags.maxActiveDims !== undefined ? { maxActiveDims: flags.maxActiveDims } : {}),
        nanoBeir: flags.nanobeir !== undefined,
        ...(flags.approximate !== undefined ? { approximate: flags.approximate } : {}),
        onProgress: (p) => {
          const next = `${p.datasetIndex + 1}/${p.datasetCount} ${PHASE_LABEL[p.phase]}`;
          if (next !== label) {
            progress.stop();
            progress = createProgress(next);
            label = next;
          }
          progress.update(p.done, p.total);
        },
      }).finally(async () => {
        progress.stop();
        await model.release?.();
      });
      process.stdout.write(formatCardTable(columns, model.scoreFunction));
      if (flags.output !== undefined) {
        const data =
          beir !== undefined
            ? { beir, split: flags.split, title: flags.title ?? false }
            : { nanobeir: parseNanoBeirNames(flags.nanobeir!) };
        const written = writeEvaluationReport(flags.output, {
          settings: { model: flags.model, conventions: flags.conventions, maxActiveDims: flags.maxActiveDims ?? null, approximate: flags.approximate ?? false, data },
          columns,
          scoreFunction: model.scoreFunction,
        });
        process.stderr.write(`wrote ${written.json} and ${written.csv}\n`);
      }
    });
}
