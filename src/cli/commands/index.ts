/**
 * `splade index build|add|delete|merge|stats`:
 *   build --model <dir|hub-id|bm25> --corpus <corpus.jsonl> --out <dir> [--title] [--batch-size N]
 *         [--quantize u8] [--k1 X] [--b Y] [--block-size N] [--overwrite]
 *   add <index-dir> --corpus <corpus.jsonl> [--title] [--batch-size N]   (encodes with the index's model)
 *   delete <index-dir> --ids <id...>        merge <index-dir>        stats <index-dir> [--json]
 * Corpus lines are BEIR's {"_id", "title", "text"}; every write is atomic (index/index-writer.ts).
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { encoderOptionsFromEnv } from "../env-options.js";
import { createEncoder } from "../../app/encoders.js";
import { addCorpusToIndex, buildIndexFromCorpus } from "../../app/index-corpus.js";
import { deleteDocuments, mergeIndex } from "../../index/index-writer.js";
import { SparseIndex } from "../../index/sparse-index.js";
import { createProgress } from "../progress.js";
import { positiveInteger } from "./encode.js";

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a non-negative number");
  return n;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

interface BuildFlags {
  model: string;
  corpus: string;
  out: string;
  title?: boolean;
  batchSize?: number;
  quantize?: "u8";
  k1?: number;
  b?: number;
  blockSize?: number;
  overwrite?: boolean;
}

export function registerIndex(program: Command): void {
  const index = program.command("index").description("Build and maintain a sparse inverted index (exact top-k search)");

  index
    .command("build")
    .description("Encode a BEIR corpus and write a new index")
    .requiredOption("--model <model>", "bm25 (BERT WordPiece BM25, no weights needed), a SPLADE model folder or a Hub id")
    .requiredOption("--corpus <file>", "BEIR corpus.jsonl ({\"_id\", \"title\", \"text\"} per line)")
    .requiredOption("--out <dir>", "index directory to create")
    .option("--title", "encode title + \" \" + text (BEIR)")
    .option("--batch-size <n>", "SPLADE encoding batch size", positiveInteger)
    .addOption(new Option("--quantize <type>", "store 8-bit impacts (smaller; scores change slightly)").choices(["u8"]))
    .option("--k1 <x>", "BM25 k1 (default 0.9)", nonNegative)
    .option("--b <x>", "BM25 b (default 0.4)", nonNegative)
    .option("--block-size <n>", "documents per block (power of two ≤ 256; default 64)", positiveInteger)
    .option("--overwrite", "replace an index already in --out")
    .action(async (flags: BuildFlags) => {
      const started = performance.now();
      const encoder = await createEncoder(flags.model, { bm25: { k1: flags.k1, b: flags.b }, splade: encoderOptionsFromEnv(process.env) });
      const progress = createProgress("index");
      try {
        const result = await buildIndexFromCorpus(flags.corpus, flags.out, encoder, {
          title: flags.title,
          batchSize: flags.batchSize,
          overwrite: flags.overwrite,
          settings: { ...(flags.quantize ? { impact: flags.quantize } : {}), ...(flags.blockSize ? { blockSize: flags.blockSize } : {}) },
          onProgress: (done, total) => progress.update(done, total),
        });
        progress.stop();
        const stats = (await SparseIndex.open(flags.out, { verify: false })).stats();
        process.stderr.write(
          `indexed ${result.addedCount} documents into ${flags.out} (${result.segmentCount} segment(s), ${megabytes(stats.sizeBytes)}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
      } finally {
        progress.stop();
        await encoder.release();
      }
    });

  index
    .command("add")
    .description("Encode more BEIR corpus documents with the index's model and add them")
    .argument("<index-dir>")
    .requiredOption("--corpus <file>", "BEIR corpus.jsonl")
    .option("--title", "encode title + \" \" + text (BEIR)")
    .option("--batch-size <n>", "SPLADE encoding batch size", positiveInteger)
    .action(async (dir: string, flags: { corpus: string; title?: boolean; batchSize?: number }) => {
      const progress = createProgress("add");
      try {
        const result = await addCorpusToIndex(flags.corpus, dir, {
          title: flags.title,
          batchSize: flags.batchSize,
          encoder: { splade: encoderOptionsFromEnv(process.env) },
          onProgress: (done, total) => progress.update(done, total),
        });
        progress.stop();
        process.stderr.write(`added ${result.addedCount} documents to ${dir} (${result.segmentCount} segment(s))\n`);
      } finally {
        progress.stop();
      }
    });

  index
    .command("delete")
    .description("Delete documents by id")
    .argument("<index-dir>")
    .requiredOption("--ids <id...>", "document ids (space or comma separated)")
    .action(async (dir: string, flags: { ids: string[] }) => {
      const ids = flags.ids.flatMap((s) => s.split(",")).filter((s) => s !== "");
      const result = await deleteDocuments(dir, ids);
      process.stderr.write(`deleted ${result.deletedCount} document(s) from ${dir}\n`);
      if (result.notFound.length > 0) process.stderr.write(`not found: ${result.notFound.join(", ")}\n`);
    });

  index
    .command("merge")
    .description("Rewrite the live documents into as few segments as possible (drops deleted ones)")
    .argument("<index-dir>")
    .action(async (dir: string) => {
      const result = await mergeIndex(dir);
      process.stderr.write(`merged ${dir} into ${result.segmentCount} segment(s)\n`);
    });

  index
    .command("stats")
    .description("Print what an index holds")
    .argument("<index-dir>")
    .option("--json", "print JSON")
    .action(async (dir: string, flags: { json?: boolean }) => {
      const stats = (await SparseIndex.open(dir)).stats();
      if (flags.json) {
        process.stdout.write(JSON.stringify(stats) + "\n");
        return;
      }
      const w = stats.settings.weighting;
      const lines = [
        `index        ${dir} (generation ${stats.generation})`,
        `model        ${JSON.stringify(stats.model)}`,
        `documents    ${stats.docCount} live, ${stats.deletedCount} deleted, in ${stats.segmentCount} segment(s)`,
        `postings     ${stats.postingCount} over ${stats.termCount} terms`,
        `size         ${megabytes(stats.sizeBytes)} with ids and stored texts; ${stats.bytesPerPosting.toFixed(2)} index bytes per posting`,
        `impacts      ${stats.settings.impact}${w.kind === "bm25" ? `, BM25 k1=${w.k1} b=${w.b}` : ""}`,
        `blocks       ${stats.settings.blockSize} documents, ${stats.settings.superblockSize} blocks per superblock, reorder ${stats.settings.reorder}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
