/**
 * `splade eval-run --run <run.trec> --qrels <qrels> [--conventions st|trec] [--json]`: retrieval metrics of
 * any TREC run file against qrels (BEIR TSV or TREC format). Prints a metric/value table, or with --json one
 * object {"accuracy@1": …, …, "map@100": …}: means over the evaluated queries (queries of the qrels with a
 * relevant document; those missing from the run score 0), in the chosen conventions (see src/eval/).
 */
import { Command, Option } from "commander";
import { RUN_CUTOFFS } from "../../eval/defaults.js";
import type { Conventions } from "../../eval/ir-metrics.js";
import { readQrelsFile } from "../../eval/qrels-file.js";
import { formatCardValue } from "../../eval/report.js";
import { evaluateRun } from "../../eval/run-evaluation.js";
import { readRunFile } from "../../eval/run-file.js";

interface EvalRunFlags {
  run: string;
  qrels: string;
  conventions: Conventions;
  json?: boolean;
}

export function conventionsOption(): Option {
  return new Option("--conventions <name>", "metric conventions: st (sentence-transformers) or trec (trec_eval)")
    .choices(["st", "trec"])
    .default("st");
}

export function registerEvalRun(program: Command): void {
  program
    .command("eval-run")
    .description("Metrics of a TREC run file against qrels (BEIR TSV or TREC format)")
    .requiredOption("--run <file>", "TREC run file: qid Q0 docid rank score tag")
    .requiredOption("--qrels <file>", "qrels: BEIR TSV (query-id corpus-id score) or TREC (qid iter docid rel)")
    .addOption(conventionsOption())
    .option("--json", "print one JSON object of metric → value")
    .action(async (flags: EvalRunFlags) => {
      const qrels = readQrelsFile(flags.qrels);
      const run = await readRunFile(flags.run);
      const result = evaluateRun(run, qrels, { conventions: flags.conventions, cutoffs: RUN_CUTOFFS });
      if (flags.json) {
        process.stdout.write(JSON.stringify(result.metrics) + "\n");
        return;
      }
      const rows = Object.entries(result.metrics).map(([name, value]) => [name, formatCardValue(value)]);
      const width = Math.max(...rows.map(([name]) => name.length));
      process.stdout.write(`Queries evaluated: ${result.queryIds.length} (conventions: ${flags.conventions})\n`);
      for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
    });
}
