/**
 * Exact top-k over an engine that stores truncated weights (OpenSearch rank_features keeps 8 mantissa bits,
 * opensearch-weights.ts). The engine ranks a window of candidates; each candidate's exact score is
 * recomputed from its stored source (the weights as sent) with sparse/ops.ts `dot`, the local index's own
 * arithmetic; and the window is provably large enough when the k-th exact score beats every document
 * outside it. That bound holds because truncation only lowers a weight, by less than 2^-8 of it, and query
 * weights are positive: for every document, engine ≤ exact·(1 + ε) and exact ≤ engine / (1 − 2^-8)·(1 + ε),
 * with ε covering float32 rounding of the engine's sum. So a document outside the window (engine score ≤
 * the window's last engine score e) has exact ≤ e·(1 + ε)/(1 − 2^-8). Otherwise the window doubles, up to
 * `maxWindow` (OpenSearch's index.max_result_window, 10,000), where the best rescored window is returned.
 */
import type { SparseVector } from "../sparse/vector.js";
import { dot } from "../sparse/ops.js";

export interface Candidate {
  readonly id: string;
  readonly engineScore: number;
  readonly ordinal: number;
  readonly vector: SparseVector;
  readonly payload?: unknown;
}

export interface ExactHit {
  readonly id: string;
  readonly score: number;
  readonly ordinal: number;
  readonly payload?: unknown;
}

/** Relative truncation of a stored weight (Lucene FeatureField keeps 8 of float32's 23 mantissa bits). */
export const STORED_WEIGHT_RELATIVE_LOSS = 2 ** -8;
/** Float32 rounding of the engine's clause products and sums, generously (≈ 2^-24 per term for 4,000 terms). */
export const ENGINE_SUM_EPSILON = 2.5e-4;

export const RESCORE_DEFAULTS = { firstWindowFactor: 2, minWindow: 20, maxWindow: 10_000 } as const;

export function firstWindow(k: number): number {
  return Math.min(RESCORE_DEFAULTS.maxWindow, Math.max(k * RESCORE_DEFAULTS.firstWindowFactor, RESCORE_DEFAULTS.minWindow));
}

/**
 * Rescores `candidates` (the engine's top `window`, best first) exactly. `complete` is true when the exact
 * top-k is proven (or the engine returned fewer than `window` candidates, i.e. every match).
 */
export function rescoreExactly(query: SparseVector, candidates: readonly Candidate[], k: number, window: number): { hits: ExactHit[]; complete: boolean } {
  const rescored = candidates
    .map((c) => ({ id: c.id, score: dot(query, c.vector), ordinal: c.ordinal, ...(c.payload === undefined ? {} : { payload: c.payload }) }))
    .sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
  const hits = rescored.slice(0, k);
  if (candidates.length < window || hits.length < k) return { hits, complete: candidates.length < window };
  const lastEngineScore = candidates[candidates.length - 1].engineScore;
  const outsideBound = (lastEngineScore * (1 + ENGINE_SUM_EPSILON)) / (1 - STORED_WEIGHT_RELATIVE_LOSS);
  return { hits, complete: hits[hits.length - 1].score > outsideBound };
}
