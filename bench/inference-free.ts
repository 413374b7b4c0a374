/**
 * `npm run bench -- inference-free [--threads 2] [--queries 300] [--repeat 5]`
 *
 * Query encoding of an inference-free model against a SPLADE query encoder, in the same run, on the SciFact
 * test queries (../shared/data/scifact):
 *   - inference-free: the query route of test/fixtures/tiny-inference-free-splade — a SparseStaticEmbedding
 *     over the real bert-base-uncased tokenizer and a full 30,522-entry weight vector, exactly what the
 *     opensearch `-doc-v2/v3-distill` models run for a query (their document model does not enter the query
 *     path, so the fixture's tiny one changes nothing here);
 *   - baseline: encodeQuery through a DistilBERT-base-size SPLADE network (bench/encode.ts's random-weight
 *     model: 6 layers, dim 768, real vocabulary), in onnxruntime with `threads` threads.
 * Reported per query: one query per call (what a search service does), best of `repeat` passes over the
 * queries after a warm-up pass, in µs; and whole-batch throughput. Ratio = SPLADE time / inference-free time.
 * Also checks that no onnxruntime session was opened for the inference-free queries.
 */
import { readFileSync } from "node:fs";
import { SparseEncoder } from "../src/encoder/index.js";
import { MODEL_DIR, prepareModel } from "./encode.js";

const SCIFACT_QUERIES = "../shared/data/scifact/queries.jsonl";
const SCIFACT_TEST_QRELS = "../shared/data/scifact/qrels/test.tsv";
const INFERENCE_FREE = "test/fixtures/tiny-inference-free-splade";

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function testQueries(limit: number): string[] {
  const ids = new Set(readFileSync(SCIFACT_TEST_QRELS, "utf8").split("\n").slice(1).map((l) => l.split("\t")[0]).filter((id) => id !== ""));
  const queries = readFileSync(SCIFACT_QUERIES, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as { _id: string; text: string });
  return queries.filter((q) => ids.has(q._id)).slice(0, limit).map((q) => q.text);
}

/** Best of `repeat` passes (after one warm-up pass) of encoding each query alone; µs per query. */
export async function perQueryUs(encoder: SparseEncoder, queries: string[], repeat: number): Promise<number> {
  let best = Infinity;
  for (let r = 0; r <= repeat; r++) {
    const t0 = process.hrtime.bigint();
    for (const q of queries) await encoder.encodeQuery([q]);
    const us = Number(process.hrtime.bigint() - t0) / 1000 / queries.length;
    if (r > 0) best = Math.min(best, us);
  }
  return best;
}

/** Best of `repeat` whole-batch calls (after a warm-up); queries per second. */
async function batchQps(encoder: SparseEncoder, queries: string[], repeat: number): Promise<number> {
  let best = Infinity;
  for (let r = 0; r <= repeat; r++) {
    const t0 = process.hrtime.bigint();
    await encoder.encodeQuery(queries);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r > 0) best = Math.min(best, s);
  }
  return queries.length / best;
}

export async function main(args: string[]): Promise<void> {
  const threads = flag(args, "threads", 2);
  const repeat = flag(args, "repeat", 5);
  const queries = testQueries(flag(args, "queries", 300));
  prepareModel();

  const free = await SparseEncoder.fromPretrained(INFERENCE_FREE, { threads });
  const freeUs = await perQueryUs(free, queries, repeat);
  const freeQps = await batchQps(free, queries, repeat);
  const sessions = free.openSessions;
  const activeDims = (await free.encodeQuery(queries)).reduce((s, v) => s + v.indices.length, 0) / queries.length;
  await free.release();

  const splade = await SparseEncoder.fromPretrained(MODEL_DIR, { threads });
  const spladeUs = await perQueryUs(splade, queries, repeat);
  const spladeQps = await batchQps(splade, queries, repeat);
  await splade.release();

  const result = {
    bench: "inference-free",
    queries: queries.length,
    threads,
    inference_free: { per_query_us: +freeUs.toFixed(1), batch_queries_per_s: Math.round(freeQps), mean_active_dims: +activeDims.toFixed(1), sessions_opened: sessions.length },
    splade_distilbert_base: { per_query_us: +spladeUs.toFixed(1), batch_queries_per_s: Math.round(spladeQps) },
    ratio_per_query: +(spladeUs / freeUs).toFixed(1),
    ratio_batch: +(freeQps / spladeQps).toFixed(1),
  };
  console.log(JSON.stringify(result));
  console.log(
    `inference-free query: ${freeUs.toFixed(1)} µs/query alone, ${Math.round(freeQps)} queries/s batched (${sessions.length} sessions opened)\n` +
      `SPLADE DistilBERT-base query: ${spladeUs.toFixed(1)} µs/query alone, ${Math.round(spladeQps)} queries/s batched\n` +
      `ratio: ${result.ratio_per_query}× per query, ${result.ratio_batch}× batched`,
  );
}
