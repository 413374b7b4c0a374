/**
 * Which candidates of approximate search (approximate-search.ts) need their exact score: bounds on each
 * candidate's exact dot product from its whole forward document (forward-index.ts), and only those whose
 * upper bound reaches the k-th largest lower bound go on to exact rescoring (exact-rescore.ts), the costly
 * step (three dependent lookups per (document, query term) in the term-major postings). The others cannot be
 * among the k best of the candidates by exact score: k candidates score at least that lower bound, above
 * their upper bound. So the result equals rescoring every candidate, for a fraction of the lookups.
 *
 * Bounds: a forward code c of term t stands for a value v with |v / forwardScale[t] − c| ≤ ½ (rounding), except
 * code 1, which also holds every smaller positive value: v ∈ (0, 1.5·scale]. With s_t = w_t · forwardScale[t]
 * summed over the query terms the document has, A = Σ s_t·c, B = Σ s_t, B1 = Σ s_t over codes of 1:
 * ub = A + ½B and lb = A − ½B − ½B1. A relative margin of 1e-9 covers float64 rounding (scores are sums of
 * ~10² float64 products: relative error ~1e-14).
 * Shapes: K candidates, P_d forward postings of a candidate, T terms.
 */
import type { ScoredOrdinal } from "./top-k.js";
import type { LiveSegment, SearchScratch, SegmentQuery } from "./segment-query.js";

const MARGIN = 1e-9;

/**
 * The candidates (keys: segment base + internal document) that can be among the k best by exact score, in
 * their given order. All of them when there are at most k.
 */
export function candidatesToRescore(segments: readonly LiveSegment[], queries: readonly SegmentQuery[], candidates: readonly ScoredOrdinal[], k: number, scratch: SearchScratch): ScoredOrdinal[] {
  const K = candidates.length;
  if (K <= k) return [...candidates];
  const upper = scratch.float64(11, K); // [K]
  const lower = scratch.float64(12, K); // [K]
  segments.forEach((live, s) => {
    const { forwardStart, forwardTerms, forwardCodes, forwardScale } = live.segment.approximate!;
    const query = queries[s];
    const base = live.baseOrdinal;
    const end = base + live.segment.docCount;
    const scaled = scratch.float64Zeroed(1, forwardScale.length); // [T] w_t · forwardScale[t], reset below
    for (let q = 0; q < query.count; q++) scaled[query.termIndex[q]] = query.weight[q] * forwardScale[query.termIndex[q]];
    for (let i = 0; i < K; i++) {
      const key = candidates[i].ordinal;
      if (key < base || key >= end) continue;
      const d = key - base;
      let a = 0;
      let b = 0;
      let b1 = 0;
      for (let p = forwardStart[d], e = forwardStart[d + 1]; p < e; p++) {
        const w = scaled[forwardTerms[p]];
        const c = forwardCodes[p];
        a += w * c;
        b += w;
        if (c === 1) b1 += w;
      }
      upper[i] = (a + 0.5 * b) * (1 + MARGIN);
      lower[i] = (a - 0.5 * b - 0.5 * b1) * (1 - MARGIN);
    }
    for (let q = 0; q < query.count; q++) scaled[query.termIndex[q]] = 0;
  });
  const bar = kthLargest(lower, K, k, scratch);
  const out: ScoredOrdinal[] = [];
  for (let i = 0; i < K; i++) if (upper[i] >= bar) out.push(candidates[i]);
  return out;
}

/** The k-th largest of values[0..n) (k ≤ n), by a partial sort of a copy. */
function kthLargest(values: Float64Array, n: number, k: number, scratch: SearchScratch): number {
  const copy = scratch.float64(13, n).subarray(0, n);
  copy.set(values.subarray(0, n));
  copy.sort();
  return copy[n - k];
}
