/**
 * `npm run bench -- search [--docs 1000000] [--generator mixture|independent] [--queries 1000]
 *   [--exhaustive-queries N] [--block-size 64] [--superblock-size 16] [--reorder top-terms|none]
 *   [--threads 2] [--no-u8] [--save <dir>]`
 *
 * Exact top-10 search over a synthetic corpus of SPLADE-like documents (bench/_synthetic-splade.ts documents
 * the generator) with real SPLADE query vectors of MS MARCO dev (bench/_splade-queries.ts; the half not used
 * as topics). Reports, in one run: generation and build time, index bytes per posting, single-thread p50/p99
 * latency of block-max pruning (BMP) and of exhaustive scoring (the baseline) with their ratio, QPS on
 * `--threads` worker threads, that BMP returned exactly the exhaustive lists, and the cost of u8 impacts
 * (overlap of the top-10 with the float32 top-10, latency). `--save` also writes the index and times
 * opening it.
 */
import { mkdirSync, rmSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { SHARED } from "./_paths.js";
import { loadSpladeQueries, loadVocab } from "./_splade-queries.js";
import { splitQueries, SyntheticSpladeCorpus, type GeneratorKind } from "./_synthetic-splade.js";
import { SegmentBuilder } from "../src/index/segment-builder.js";
import { SparseIndex } from "../src/index/sparse-index.js";
import { SearchPool, shareSegment } from "../src/index/search-pool.js";
import { SearchScratch } from "../src/index/segment-query.js";
import { resolveSettings } from "../src/index/settings.js";
import { INDEX_DEFAULTS } from "../src/index/defaults.js";
import { segmentSearchBytes, type Segment } from "../src/index/segment.js";
import type { IndexSettings } from "../src/index/manifest.js";
import type { SparseVector } from "../src/sparse/vector.js";
import type { ScoredOrdinal } from "../src/index/top-k.js";
import { segmentFileName, writeSegment } from "../src/index/index-files.js";
import { writeManifest } from "../src/index/manifest.js";

const QUERY_FILE = join(SHARED, "data/msmarco-dev-splade-queries/topics.msmarco-passage.dev-subset.splade-pp-ed.tsv.gz");
const VOCAB = "assets/bert-base-uncased-vocab.txt";

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;


interface Latencies {
  readonly results: ScoredOrdinal[][];
  readonly times: number[];
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

function summarize(results: ScoredOrdinal[][], times: number[]): Latencies {
  const sorted = [...times].sort((a, b) => a - b);
  return { results, times, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: mean(times) };
}

/**
 * Single-thread latencies of each algorithm, interleaved query by query (the baseline first) so that both
 * see the same machine conditions. The baseline runs on the first `baselineCount` queries only.
 */
function latencies(index: SparseIndex, queries: readonly SparseVector[], algorithms: readonly ("bmp" | "exhaustive")[], baselineCount: number): Map<string, Latencies> {
  const scratch = new SearchScratch();
  const out = new Map<string, { results: ScoredOrdinal[][]; times: number[] }>(algorithms.map((a) => [a, { results: [], times: [] }]));
  queries.forEach((query, i) => {
    for (const algorithm of algorithms) {
      if (algorithm === "exhaustive" && i >= baselineCount) continue;
      const t0 = performance.now();
      const hits = index.searchOrdinals(query, { k: 10, algorithm, scratch });
      out.get(algorithm)!.times.push(performance.now() - t0);
      out.get(algorithm)!.results.push(hits);
    }
  });
  return new Map([...out].map(([a, r]) => [a, summarize(r.results, r.times)]));
}

async function throughput(index: SparseIndex, queries: readonly SparseVector[], algorithm: "bmp" | "exhaustive", threads: number): Promise<number> {
  const pool = await SearchPool.create(index, { threads });
  try {
    await pool.search(queries.slice(0, 20), { k: 10, algorithm }); // warm-up
    const t0 = performance.now();
    await pool.search(queries, { k: 10, algorithm });
    return queries.length / ((performance.now() - t0) / 1000);
  } finally {
    await pool.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const docs = Number(flag(args, "docs", "1000000"));
  const generator = flag(args, "generator", "mixture") as GeneratorKind;
  const queryCount = Number(flag(args, "queries", "1000"));
  const exhaustiveCount = Number(flag(args, "exhaustive-queries", String(queryCount)));
  const threads = Number(flag(args, "threads", "2"));
  const withU8 = !args.includes("--no-u8");
  const save = flag(args, "save", "");
  const settings: IndexSettings = resolveSettings({
    blockSize: Number(flag(args, "block-size", String(INDEX_DEFAULTS.blockSize))),
    superblockSize: Number(flag(args, "superblock-size", String(INDEX_DEFAULTS.superblockSize))),
    reorder: flag(args, "reorder", INDEX_DEFAULTS.reorder) as IndexSettings["reorder"],
  });
  const log = (line: string) => process.stdout.write(line + "\n");
  log(`# search benchmark ${new Date().toISOString()} | ${cpus()[0]?.model} × ${cpus().length} | ${(totalmem() / 2 ** 30).toFixed(0)} GiB | Node ${process.version}`);
  log(`docs ${docs}, generator ${generator}, block ${settings.blockSize}, superblock ${settings.superblockSize}, reorder ${settings.reorder}`);

  const t = performance.now();
  const vocab = loadVocab(VOCAB);
  const all = loadSpladeQueries(QUERY_FILE, vocab);
  const { topics, benchmark } = splitQueries(all);
  const queries = benchmark.slice(0, queryCount).map((q) => q.vector);
  log(`queries: ${all.length} real SPLADE vectors loaded in ${((performance.now() - t) / 1000).toFixed(1)} s; searching with ${queries.length} (mean ${mean(queries.map((q) => q.indices.length)).toFixed(1)} terms)`);

  // Generate once, feed an f32 and (optionally) a u8 builder; flush segments at the writer's size limit.
  const corpus = new SyntheticSpladeCorpus(all, topics, { seed: 42, vocabSize: vocab.size, kind: generator });
  const variants = withU8 ? (["f32", "u8"] as const) : (["f32"] as const);
  const segments = new Map<string, Segment[]>(variants.map((v) => [v, []]));
  const builders = new Map(variants.map((v) => [v, new SegmentBuilder({ ...settings, impact: v })]));
  let generateMs = 0;
  const buildMs = new Map<string, number>(variants.map((v) => [v, 0]));
  const flush = (v: "f32" | "u8") => {
    const t0 = performance.now();
    // Shared memory right away, so that worker threads can search without a second copy of the index.
    const segment = builders.get(v)!.build();
    segments.get(v)!.push(threads > 0 ? shareSegment(segment) : segment);
    buildMs.set(v, buildMs.get(v)! + performance.now() - t0);
    builders.set(v, new SegmentBuilder({ ...settings, impact: v }));
  };
  let postings = 0;
  for (let d = 0; d < docs; d++) {
    const t0 = performance.now();
    const vector = corpus.next();
    generateMs += performance.now() - t0;
    postings += vector.indices.length;
    for (const v of variants) {
      const t1 = performance.now();
      builders.get(v)!.add({ id: String(d), vector });
      buildMs.set(v, buildMs.get(v)! + performance.now() - t1);
      if (builders.get(v)!.postingCount >= INDEX_DEFAULTS.maxSegmentPostings) flush(v);
    }
  }
  for (const v of variants) if (builders.get(v)!.docCount > 0) flush(v);
  const indexes = new Map(variants.map((v) => [v, SparseIndex.fromSegments({ ...settings, impact: v }, null, segments.get(v)!.map((segment) => ({ segment, deleted: null })))]));
  const f32 = indexes.get("f32")!;
  const bytes = segments.get("f32")!.reduce((n, s) => n + segmentSearchBytes(s), 0);
  log(`corpus: ${docs} documents, ${postings} postings (${(postings / docs).toFixed(1)} per document), generated in ${(generateMs / 1000).toFixed(1)} s`);
  log(`build (f32): ${(buildMs.get("f32")! / 1000).toFixed(1)} s (add + layout, ${segments.get("f32")!.length} segment(s)); ${(bytes / postings).toFixed(2)} index bytes per posting (${(bytes / 2 ** 20).toFixed(0)} MiB without ids)`);

  const exhaustiveQueries = queries.slice(0, exhaustiveCount);
  const measured = latencies(f32, queries, ["exhaustive", "bmp"], exhaustiveCount);
  const exhaustive = measured.get("exhaustive")!;
  const bmp = measured.get("bmp")!;
  const perQueryRatio = exhaustive.times.map((e, i) => e / bmp.times[i]).sort((a, b) => a - b);
  const mismatches = exhaustiveQueries.filter((_, i) => JSON.stringify(exhaustive.results[i]) !== JSON.stringify(bmp.results[i])).length;
  const fmt = (r: { p50: number; p99: number; mean: number }) => `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, mean ${r.mean.toFixed(2)} ms`;
  log(`exhaustive (1 thread, ${exhaustiveQueries.length} queries): ${fmt(exhaustive)}`);
  log(`bmp        (1 thread, ${queries.length} queries): ${fmt(bmp)}`);
  const bmpOnBaseline = summarize([], bmp.times.slice(0, exhaustiveCount));
  log(`bmp vs exhaustive (same ${exhaustiveQueries.length} queries): ${(exhaustive.p50 / bmpOnBaseline.p50).toFixed(1)}× at p50, ${(exhaustive.mean / bmpOnBaseline.mean).toFixed(1)}× mean, median per-query speed-up ${percentile(perQueryRatio, 0.5).toFixed(1)}×; identical top-10 on ${exhaustiveQueries.length - mismatches}/${exhaustiveQueries.length} queries`);
  if (threads > 0) {
    const qpsBmp = await throughput(f32, queries, "bmp", threads);
    const qpsExhaustive = await throughput(f32, exhaustiveQueries, "exhaustive", threads);
    log(`throughput on ${threads} threads: bmp ${qpsBmp.toFixed(0)} QPS, exhaustive ${qpsExhaustive.toFixed(0)} QPS`);
  }

  if (withU8) {
    const u8 = indexes.get("u8")!;
    const u8Bytes = segments.get("u8")!.reduce((n, s) => n + segmentSearchBytes(s), 0);
    const quantized = latencies(u8, queries, ["bmp"], 0).get("bmp")!;
    const overlaps = queries.map((_, i) => {
      const exact = new Set(bmp.results[i].map((h) => h.ordinal));
      return exact.size === 0 ? 1 : quantized.results[i].filter((h) => exact.has(h.ordinal)).length / exact.size;
    });
    log(`u8 impacts: ${(u8Bytes / postings).toFixed(2)} bytes per posting; bmp ${fmt(quantized)}; top-10 overlap with f32 ${(100 * mean(overlaps)).toFixed(2)}% (min ${(100 * Math.min(...overlaps)).toFixed(0)}%)`);
  }

  if (save !== "") {
    // Write the f32 segments as an index directory (the writer's files and manifest), then time opening it.
    rmSync(save, { recursive: true, force: true });
    mkdirSync(save, { recursive: true });
    const t0 = performance.now();
    const entries = segments.get("f32")!.map((segment, n) => writeSegment(save, segmentFileName(1, n + 1), segment));
    writeManifest(save, { format: "splade-ts-index", version: 1, generation: 1, settings, model: null, segments: entries });
    const writeS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const opened = await SparseIndex.open(save);
    const openS = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    await SparseIndex.open(save, { verify: false });
    const openUnverifiedS = (performance.now() - t2) / 1000;
    const sizeBytes = entries.reduce((n, e) => n + e.sizeBytes, 0);
    const same = queries.slice(0, 50).every((q, i) => JSON.stringify(opened.searchOrdinals(q, { k: 10 })) === JSON.stringify(bmp.results[i]));
    log(`saved to ${save}: ${(sizeBytes / 2 ** 20).toFixed(0)} MiB written in ${writeS.toFixed(1)} s; opened in ${openS.toFixed(2)} s with checksums (${openUnverifiedS.toFixed(2)} s without); same results: ${same}`);
  }
}
