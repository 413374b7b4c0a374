/**
 * `npm run bench -- engines [--corpus ../shared/data/scifact/corpus.jsonl] [--queries-file …/queries.jsonl]
 *   [--index <dir>] [--batch-size 500] [--queries 300] [--k 10]`
 *
 * Ingest and query speed of the engines next to our local index, on the same vectors: a local index of the
 * corpus (BM25 over WordPiece by default, or an existing index with --index, e.g. a SPLADE one) is the
 * source. Ingest: documents/s of `createIndex` (the local baseline, from the same stored vectors) and of
 * `pushToTarget` into a real OpenSearch 2.19 node (512 MB heap, test/helpers/opensearch-node.ts) and into
 * PostgreSQL/pgvector served by PGlite over the wire protocol (a single-threaded WebAssembly Postgres, not a
 * production server). Queries: single-client latency p50/p99 of top-k for the same query vectors, local
 * exact search (block-max pruning, one thread) vs OpenSearch (exact rescoring, and raw engine scores) vs
 * PostgreSQL (`ORDER BY vector <#> q`). Engines run on this machine's 2 cores, as the local index does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIndexFromCorpus } from "../src/app/index-corpus.js";
import { createEncoder, encoderFromRecord } from "../src/app/encoders.js";
import { parseModelRecord } from "../src/app/document-encoder.js";
import { readQueries } from "../src/app/text-files.js";
import { SparseIndex } from "../src/index/sparse-index.js";
import { createIndex } from "../src/index/index-writer.js";
import { indexSource, pushToTarget, OpenSearchTarget, PostgresTarget, engineQueryVector, type EngineTarget, type TargetMeta } from "../src/engines/index.js";
import type { SparseVector } from "../src/sparse/vector.js";
import { startOpenSearchNode } from "../test/helpers/opensearch-node.js";
import { startPgliteServer } from "../test/helpers/pglite-server.js";

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function latency(times: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

async function timeQueries(run: (v: SparseVector) => Promise<unknown> | unknown, queries: readonly SparseVector[]): Promise<number[]> {
  for (const q of queries.slice(0, 20)) await run(q); // warm-up
  const times: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await run(q);
    times.push(performance.now() - started);
  }
  return times;
}

export async function main(args: string[]): Promise<void> {
  const corpus = flag(args, "corpus", "../shared/data/scifact/corpus.jsonl");
  const queriesFile = flag(args, "queries-file", "../shared/data/scifact/queries.jsonl");
  const batchSize = Number(flag(args, "batch-size", "500"));
  const queryCount = Number(flag(args, "queries", "300"));
  const k = Number(flag(args, "k", "10"));
  const dir = mkdtempSync(join(tmpdir(), "splade-bench-engines-"));
  const [node, pg] = await Promise.all([startOpenSearchNode(), startPgliteServer()]);
  try {
    let indexDir = flag(args, "index", "");
    if (indexDir === "") {
      indexDir = join(dir, "bm25");
      await buildIndexFromCorpus(corpus, indexDir, await createEncoder("bm25"), { title: true });
    }
    const index = await SparseIndex.open(indexDir);
    const encoder = await encoderFromRecord(parseModelRecord(index.model, indexDir));
    const source = indexSource(indexDir, index, encoder);
    const docs = index.docCount;
    console.log(`corpus: ${indexDir} (${docs} documents, model ${JSON.stringify(index.model)}); batch ${batchSize}; ${queryCount} queries, top-${k}`);

    // Ingest, same stored vectors everywhere.
    const localStarted = performance.now();
    // The stored impacts are final weights: the copy takes them as they are (no BM25 re-weighting).
    await createIndex(join(dir, "copy"), source.documents(0), { settings: { ...index.settings, weighting: { kind: "none" } }, model: index.model });
    const localRate = docs / ((performance.now() - localStarted) / 1000);
    const targets: Array<[string, EngineTarget]> = [
      ["opensearch", await OpenSearchTarget.open({ url: node.url, index: "bench" })],
      ["postgres (PGlite)", await PostgresTarget.open({ url: pg.url, table: "bench" })],
    ];
    const rates: Record<string, number> = {};
    for (const [name, target] of targets) {
      const report = await pushToTarget(target, source, { create: true, checkpoint: null, batchSize });
      rates[name] = report.acknowledged / (report.elapsedMs / 1000);
    }
    console.log("\ningest (documents/s, higher is better)");
    console.log(`  local createIndex   ${localRate.toFixed(0).padStart(8)}`);
    for (const [name, rate] of Object.entries(rates)) console.log(`  ${name.padEnd(19)} ${rate.toFixed(0).padStart(8)}   (${(rate / localRate).toFixed(3)}× local)`);

    // Queries: the same vectors for every system.
    const texts = (await readQueries(queriesFile)).slice(0, queryCount).map((q) => q.text);
    const vectors = await encoder.encodeQueries(texts);
    const meta = (await targets[0][1].readMeta()) as TargetMeta;
    const engineVectors = vectors.map((v) => engineQueryVector(meta, v));
    const rows: Array<[string, number[]]> = [["local (BMP, 1 thread)", await timeQueries((v) => index.search(v, { k }), vectors)]];
    const rawOpenSearch = await OpenSearchTarget.open({ url: node.url, index: "bench", rescore: "none" });
    rawOpenSearch.useVocabulary(encoder.tokenLookup);
    for (const [name, target] of [...targets, ["opensearch, raw scores", rawOpenSearch] as [string, EngineTarget]]) {
      target.useVocabulary(encoder.tokenLookup);
      rows.push([name, await timeQueries((v) => target.search(v, k, meta), engineVectors)]);
    }
    console.log("\nquery latency (ms, one client, lower is better)");
    const base = latency(rows[0][1]);
    for (const [name, times] of rows) {
      const l = latency(times);
      console.log(`  ${name.padEnd(24)} p50 ${l.p50.toFixed(2).padStart(8)}  p99 ${l.p99.toFixed(2).padStart(8)}  mean ${l.mean.toFixed(2).padStart(8)}   (p50 ${(l.p50 / base.p50).toFixed(1)}× local)`);
    }
    console.log(JSON.stringify({ bench: "engines", docs, batchSize, queries: vectors.length, k, ingestDocsPerSecond: { local: localRate, ...rates }, latencyMs: Object.fromEntries(rows.map(([n, t]) => [n, latency(t)])) }));
    for (const [, target] of targets) await target.close();
    await rawOpenSearch.close();
    await encoder.release();
  } finally {
    await node.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
