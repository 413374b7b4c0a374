/**
 * `splade mine-negatives --index <dir> (--pairs <file> | --pairs-beir <dir> [--pairs-split train]) --out <file>
 *   [--model bm25|<dir|hub-id>] [--num-negatives 3] [--range-min 0] [--range-max 100] [--sampling top|random]
 *   [--output-format triplet|n-tuple] [--title] [--seed 42]`
 * Hard negatives for (query, positive) pairs (src/app/mine-negatives.ts), positives excluded, written as
 * training JSONL for `splade train`. --index is an index written by `splade index build` (searched with the
 * model it records; candidate texts from its stored documents), or a BEIR-layout folder whose corpus.jsonl is
 * encoded in memory with --model (BM25 over WordPiece by default, or a SPLADE model).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { openEvaluationModel } from "../../app/evaluation-model.js";
import { openIndexRetriever } from "../../app/index-retriever.js";
import { MINE_DEFAULTS, mineHardNegatives, modelRetriever, readBeirCorpusTexts, readBeirPairs, readPairs } from "../../app/mine-negatives.js";
import { encoderOptionsFromEnv } from "../env-options.js";
import { writeFileAtomicSync } from "../../util/atomic-write.js";
import { SpladeError } from "../../util/errors.js";

function int(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

interface MineFlags {
  index: string;
  pairs?: string;
  pairsBeir?: string;
  pairsSplit: string;
  out: string;
  model: string;
  numNegatives: number;
  rangeMin: number;
  rangeMax: number;
  sampling: "top" | "random";
  outputFormat: "triplet" | "n-tuple";
  title?: boolean;
  seed: number;
}

export function registerMineNegatives(program: Command): void {
  program
    .command("mine-negatives")
    .description("Mine hard negatives for (query, positive) pairs from a corpus (BM25 or a SPLADE model), positives excluded")
    .requiredOption("--index <dir>", "index from `splade index build`, or a BEIR folder whose corpus.jsonl is searched")
    .option("--pairs <file>", "JSONL with query and positive")
    .option("--pairs-beir <dir>", "take the pairs from a BEIR folder's qrels split instead")
    .option("--pairs-split <name>", "qrels split of --pairs-beir", "train")
    .requiredOption("--out <file>", "training JSONL to write")
    .option("--model <model>", "for a BEIR folder: bm25, or a SPLADE model folder or Hub id (an index uses its own)", "bm25")
    .option("--num-negatives <n>", "negatives per pair", int(1), MINE_DEFAULTS.numNegatives)
    .option("--range-min <n>", "skip the n best-ranked documents", int(0), MINE_DEFAULTS.rangeMin)
    .option("--range-max <n>", "consider documents ranked below n only", int(1), MINE_DEFAULTS.rangeMax)
    .addOption(new Option("--sampling <strategy>", "take the top candidates or sample them").choices(["top", "random"]).default(MINE_DEFAULTS.samplingStrategy))
    .addOption(new Option("--output-format <format>", "one row per negative, or one row per pair").choices(["triplet", "n-tuple"]).default(MINE_DEFAULTS.outputFormat))
    .option("--title", "documents are \"title text\" (corpus and --pairs-beir positives)")
    .option("--seed <n>", "seed of --sampling random", int(0), MINE_DEFAULTS.seed)
    .action(async (f: MineFlags) => {
      if ((f.pairs === undefined) === (f.pairsBeir === undefined)) throw new SpladeError("INVALID_ARGUMENT", "give exactly one of --pairs <file> and --pairs-beir <dir>");
      const title = f.title ?? false;
      const pairs = f.pairs !== undefined ? readPairs(f.pairs) : readBeirPairs(f.pairsBeir!, { split: f.pairsSplit, title });
      const hub = encoderOptionsFromEnv(process.env);
      const options = { numNegatives: f.numNegatives, rangeMin: f.rangeMin, rangeMax: f.rangeMax, samplingStrategy: f.sampling, outputFormat: f.outputFormat, seed: f.seed };
      let mined;
      if (existsSync(join(f.index, "index.json"))) {
        const retriever = await openIndexRetriever(f.index, { title, encoder: { splade: hub } });
        mined = await mineHardNegatives(pairs, retriever, options).finally(() => retriever.release());
      } else {
        const corpus = readBeirCorpusTexts(join(f.index, "corpus.jsonl"), { title });
        const model = await openEvaluationModel(f.model, { hub });
        mined = await modelRetriever(model, corpus)
          .then((retriever) => mineHardNegatives(pairs, retriever, options))
          .finally(() => model.release?.());
      }
      writeFileAtomicSync(f.out, mined.rows.map((r) => JSON.stringify(r) + "\n"));
      const s = mined.stats;
      process.stdout.write(`${s.pairs} pairs (${s.queries} queries), ${s.meanCandidates.toFixed(1)} candidates per query → ${s.rows} rows in ${f.out}${s.skippedPairs ? `; ${s.skippedPairs} pairs without enough negatives` : ""}\n`);
    });
}
