/**
 * `splade push (--index <dir> | --corpus <file> --model <m> | --vectors <file> --model <m>)
 *   --engine opensearch|postgres --url <url> --target <index-or-table> [--create] [--batch-size N]
 *   [--checkpoint <file>] [--retries N] [--title] [--encode-batch-size N]`
 * Sends documents to an engine in batches (engines/push.ts), with a progress bar on a terminal, retries with
 * backoff, and a checkpoint after every acknowledged batch: re-running the same command after a crash
 * resumes where it stopped. Ends with one line: sent, acknowledged, refused (with the first refusals).
 * Exit codes: 0 all acknowledged; 3 when the engine refused items (or the target conflicts), 5 network.
 */
import { Command, Option } from "commander";
import { encoderOptionsFromEnv } from "../env-options.js";
import { SpladeError } from "../../util/errors.js";
import { SparseIndex } from "../../index/sparse-index.js";
import { parseModelRecord, type DocumentEncoder } from "../../app/document-encoder.js";
import { createEncoder, encoderFromRecord } from "../../app/encoders.js";
import type { EngineName, PushSource } from "../../engines/index.js";
// The engine clients load on use (engines.ts), so that other commands start without them.
import { loadEngines } from "../engines.js";
import { createProgress } from "../progress.js";
import { positiveInteger } from "./encode.js";

interface PushFlags {
  index?: string;
  corpus?: string;
  vectors?: string;
  model?: string;
  title?: boolean;
  encodeBatchSize?: number;
  engine: EngineName;
  url: string;
  target: string;
  create?: boolean;
  batchSize?: number;
  checkpoint?: string;
  retries?: number;
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new SpladeError("INVALID_ARGUMENT", `expected a non-negative integer, got ${value}`);
  return n;
}

async function openSource(flags: PushFlags): Promise<{ source: PushSource; encoder: DocumentEncoder }> {
  const { corpusSource, indexSource, vectorsSource } = await loadEngines();
  const given = [flags.index, flags.corpus, flags.vectors].filter((x) => x !== undefined).length;
  if (given !== 1) throw new SpladeError("INVALID_ARGUMENT", "give exactly one of --index, --corpus or --vectors");
  const encoderOptions = { splade: encoderOptionsFromEnv(process.env) };
  if (flags.index !== undefined) {
    if (flags.model !== undefined) throw new SpladeError("INVALID_ARGUMENT", "--index pushes the vectors the index holds, with the model it records: drop --model");
    const index = await SparseIndex.open(flags.index);
    const encoder = await encoderFromRecord(parseModelRecord(index.model, flags.index), encoderOptions);
    return { source: indexSource(flags.index, index, encoder), encoder };
  }
  if (flags.model === undefined) throw new SpladeError("INVALID_ARGUMENT", `--${flags.corpus !== undefined ? "corpus" : "vectors"} needs --model (recorded in the target for queries)`);
  const encoder = await createEncoder(flags.model, encoderOptions);
  try {
    const source = flags.corpus !== undefined
      ? await corpusSource(flags.corpus, encoder, { title: flags.title, batchSize: flags.encodeBatchSize })
      : await vectorsSource(flags.vectors!, encoder);
    return { source, encoder };
  } catch (error) {
    await encoder.release();
    throw error;
  }
}

export function defaultCheckpoint(engine: string, target: string): string {
  return `.splade-push-${engine}-${target}.checkpoint.json`;
}

export function registerPush(program: Command): void {
  program
    .command("push")
    .description("Push vectors (an index, an encoded corpus, or encode output) into OpenSearch or PostgreSQL/pgvector")
    .option("--index <dir>", "an index from splade index build (its vectors and recorded model)")
    .option("--corpus <file>", "a BEIR corpus.jsonl, encoded with --model")
    .option("--vectors <file>", "JSONL vectors from splade encode (e.g. one --shard), made by the SPLADE model --model")
    .option("--model <model>", "bm25, a SPLADE folder or a Hub id (with --corpus or --vectors)")
    .option("--title", "--corpus: encode title + \" \" + text (BEIR)")
    .option("--encode-batch-size <n>", "--corpus: SPLADE encoding batch size", positiveInteger)
    .addOption(new Option("--engine <engine>", "the engine").choices(["opensearch", "postgres"]).makeOptionMandatory())
    .requiredOption("--url <url>", "http://[user:pass@]host:9200 (OpenSearch) or postgres://user:pass@host:5432/db")
    .requiredOption("--target <name>", "OpenSearch index or PostgreSQL table")
    .option("--create", "create the index (rank_features mapping) or table (sparsevec + jsonb) when it does not exist")
    .option("--batch-size <n>", "documents per bulk request / INSERT (default 500)", positiveInteger)
    .option("--checkpoint <file>", "resume file (default .splade-push-<engine>-<target>.checkpoint.json)")
    .option("--retries <n>", "retries of a failed request, with exponential backoff (default 5)", nonNegativeInteger)
    .action(async (flags: PushFlags) => {
      const { source, encoder } = await openSource(flags);
      const { openEngineTarget, pushToTarget } = await loadEngines();
      const progress = createProgress("push");
      let retried = 0;
      const retry = { retries: flags.retries, onRetry: () => void retried++ };
      const target = await openEngineTarget({ engine: flags.engine, url: flags.url, target: flags.target, retry }).catch(async (error) => {
        await encoder.release();
        throw error;
      });
      try {
        const report = await pushToTarget(target, source, {
          batchSize: flags.batchSize,
          create: flags.create,
          checkpoint: flags.checkpoint ?? defaultCheckpoint(flags.engine, flags.target),
          retry,
          onProgress: (p) => progress.update(p.done, p.total),
        });
        progress.stop();
        const seconds = report.elapsedMs / 1000;
        const lines = [
          `${report.created ? "created" : "pushed into"} ${target.description}: sent ${report.sent}, acknowledged ${report.acknowledged}, refused ${report.failedCount}` +
            `${report.resumedFrom > 0 ? ` (resumed after ${report.resumedFrom} documents)` : ""}; ${report.batches} batches, ${retried + report.retries} retries, ${seconds.toFixed(1)} s (${(report.sent / Math.max(seconds, 1e-9)).toFixed(0)} docs/s)`,
          ...report.failed.slice(0, 10).map((f) => `  refused "${f.id}": ${f.reason}`),
        ];
        process.stderr.write(lines.join("\n") + "\n");
        if (report.failedCount > 0) throw new SpladeError("INVALID_FILE", `${source.description}: ${report.failedCount} document(s) were refused by the engine or as duplicates (listed above)`);
      } finally {
        progress.stop();
        await target.close();
        await encoder.release();
      }
    });
}
