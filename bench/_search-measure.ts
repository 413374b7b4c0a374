/**
 * Measurements of the search benchmark (bench/search.ts; files starting with "_" are not benchmarks):
 * single-thread latencies of exact block-max pruning against exhaustive scoring (interleaved query by query,
 * the baseline first, so both see the same machine), and approximate search over a grid of knobs with
 * recall@k against the exact top-k of the same queries.
 */
import type { SparseVector } from "../src/sparse/vector.js";
import type { SparseIndex } from "../src/index/sparse-index.js";
import { SearchScratch } from "../src/index/segment-query.js";
import type { ScoredOrdinal } from "../src/index/top-k.js";
import type { ApproximateSearchOptions } from "../src/index/approximate-search.js";

export interface Latencies {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export function summarize(times: readonly number[]): Latencies {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

export const formatLatencies = (r: Latencies) => `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, mean ${r.mean.toFixed(2)} ms`;

export interface ExactRun {
  readonly bmp: Latencies & { readonly times: number[]; readonly results: ScoredOrdinal[][] };
  readonly exhaustive: Latencies & { readonly times: number[]; readonly results: ScoredOrdinal[][] };
}

/** BMP on every query, exhaustive on the first `baselineCount`, interleaved. */
export function exactLatencies(index: SparseIndex, queries: readonly SparseVector[], baselineCount: number, k: number): ExactRun {
  const scratch = new SearchScratch();
  const bmp = { times: [] as number[], results: [] as ScoredOrdinal[][] };
  const exhaustive = { times: [] as number[], results: [] as ScoredOrdinal[][] };
  queries.forEach((query, i) => {
    if (i < baselineCount) {
      const t0 = performance.now();
      exhaustive.results.push(index.searchOrdinals(query, { k, algorithm: "exhaustive", scratch }));
      exhaustive.times.push(performance.now() - t0);
    }
    const t0 = performance.now();
    bmp.results.push(index.searchOrdinals(query, { k, algorithm: "bmp", scratch }));
    bmp.times.push(performance.now() - t0);
  });
  return { bmp: { ...bmp, ...summarize(bmp.times) }, exhaustive: { ...exhaustive, ...summarize(exhaustive.times) } };
}

export interface ApproximatePoint extends Latencies {
  readonly knobs: Partial<ApproximateSearchOptions>;
  /** Mean over queries of |approximate top-k ∩ exact top-k| / |exact top-k|. */
  readonly recall: number;
  /** Every returned score equal to the document's exact score (checked against the exact lists). */
  readonly exactScores: boolean;
}

/** Recall@k and single-thread latency of approximate search for each knob setting. */
export function approximateSweep(index: SparseIndex, queries: readonly SparseVector[], exact: readonly ScoredOrdinal[][], grid: ReadonlyArray<Partial<ApproximateSearchOptions>>, k: number, log: (line: string) => void): ApproximatePoint[] {
  const scratch = new SearchScratch();
  for (const query of queries.slice(0, 50)) index.searchOrdinals(query, { k, scratch, approximate: true }); // warm-up
  return grid.map((knobs) => {
    const times: number[] = [];
    let recall = 0;
    let exactScores = true;
    queries.forEach((query, i) => {
      const t0 = performance.now();
      const hits = index.searchOrdinals(query, { k, scratch, approximate: knobs });
      times.push(performance.now() - t0);
      const truth = new Map(exact[i].map((h) => [h.ordinal, h.score]));
      let found = 0;
      for (const hit of hits) {
        const score = truth.get(hit.ordinal);
        if (score === undefined) continue;
        found++;
        if (score !== hit.score) exactScores = false;
      }
      recall += truth.size === 0 ? 1 : found / truth.size;
    });
    const point = { knobs, recall: recall / queries.length, exactScores, ...summarize(times) };
    log(`  ${JSON.stringify(knobs).padEnd(58)} recall@${k} ${(100 * point.recall).toFixed(2)}%  ${formatLatencies(point)}${exactScores ? "" : "  SCORES DIFFER"}`);
    return point;
  });
}

/** Points not dominated (higher recall and lower mean latency) by another, by recall ascending. */
export function paretoFrontier(points: readonly ApproximatePoint[]): ApproximatePoint[] {
  const sorted = [...points].sort((a, b) => a.mean - b.mean);
  const frontier: ApproximatePoint[] = [];
  for (const p of sorted) if (frontier.length === 0 || p.recall > frontier[frontier.length - 1].recall) frontier.push(p);
  return frontier;
}

/** The fastest point (by mean) reaching `recall`, or null. */
export function fastestAt(points: readonly ApproximatePoint[], recall: number): ApproximatePoint | null {
  return points.filter((p) => p.recall >= recall).sort((a, b) => a.mean - b.mean)[0] ?? null;
}
