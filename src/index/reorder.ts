/**
 * Document reordering inside a segment, so that the documents of a block look alike and block maxima are
 * tight. Block-max pruning depends on it: on documents in arbitrary order every block of 64 holds most of a
 * SPLADE query's common terms and no block can be skipped (measured: bench/search.ts, BENCHMARKS.md).
 *  - "top-terms": documents sorted by their heaviest term, then their second heaviest (two stable counting
 *    sorts, O(N + V)): documents about the same thing share their heaviest terms.
 *  - "bp": recursive graph bisection (graph-bisection.ts), as the BMP paper does, started from the
 *    "top-terms" order, on each document's `BP_TERMS_PER_DOCUMENT` heaviest terms (the terms that make
 *    block maxima; the weak expansion tail would cost most of the time and move the bounds little).
 * Results do not depend on the order (ties go by insertion order through docRank).
 */
import { graphBisection } from "./graph-bisection.js";
import { kthLargest } from "./selection.js";

export type Reordering = "none" | "top-terms" | "bp";
export const REORDERINGS: readonly Reordering[] = ["none", "top-terms", "bp"];

/** BP graph: each document's heaviest terms (measured: bench/search.ts, BENCHMARKS.md). */
export const BP_TERMS_PER_DOCUMENT = 32;
/** BP swap rounds per bisection (PISA defaults to 20; from a "top-terms" start fewer suffice, BENCHMARKS.md). */
export const BP_ITERATIONS = 10;

/** Permutation [N]: internal doc → insertion position. `blockSize` is BP's leaf size. */
export function reorderDocuments(kind: Reordering, docStart: Float64Array, terms: Uint32Array, values: ArrayLike<number>, maxTerm: number, blockSize = 64): Uint32Array {
  const N = docStart.length - 1;
  const identity = new Uint32Array(N);
  for (let d = 0; d < N; d++) identity[d] = d;
  if (kind === "none" || N < 2) return identity;
  const byTopTerms = topTermsOrder(docStart, terms, values, maxTerm, identity);
  if (kind === "top-terms") return byTopTerms;
  return graphBisection(heaviestTermsGraph(docStart, terms, values, maxTerm, BP_TERMS_PER_DOCUMENT), byTopTerms, { iterations: BP_ITERATIONS, leafSize: blockSize });
}

export function topTermsOrder(docStart: Float64Array, terms: Uint32Array, values: ArrayLike<number>, maxTerm: number, identity: Uint32Array): Uint32Array {
  const N = identity.length;
  const first = new Uint32Array(N);
  const second = new Uint32Array(N);
  const none = maxTerm + 1; // documents without terms sort last
  for (let d = 0; d < N; d++) {
    let t1 = none;
    let t2 = none;
    let w1 = -1;
    let w2 = -1;
    for (let p = docStart[d]; p < docStart[d + 1]; p++) {
      const w = values[p];
      if (w > w1) {
        t2 = t1;
        w2 = w1;
        t1 = terms[p];
        w1 = w;
      } else if (w > w2) {
        t2 = terms[p];
        w2 = w;
      }
    }
    first[d] = t1;
    second[d] = t2;
  }
  return countingSortBy(first, countingSortBy(second, identity, none + 1), none + 1);
}

/** The document–term graph restricted to each document's `perDocument` heaviest terms, dense term ids. */
export function heaviestTermsGraph(docStart: Float64Array, terms: Uint32Array, values: ArrayLike<number>, maxTerm: number, perDocument: number) {
  const N = docStart.length - 1;
  const start = new Uint32Array(N + 1);
  const kept = new Uint32Array(Math.min(terms.length, N * perDocument));
  const scratch = new Float32Array(4096);
  const dense = new Int32Array(maxTerm + 1).fill(-1);
  let termCount = 0;
  let at = 0;
  for (let d = 0; d < N; d++) {
    const from = docStart[d];
    const to = docStart[d + 1];
    let threshold = -Infinity;
    if (to - from > perDocument) {
      const n = Math.min(to - from, scratch.length);
      for (let i = 0; i < n; i++) scratch[i] = values[from + i];
      threshold = kthLargest(scratch, n, perDocument);
    }
    const first = at;
    for (let p = from; p < to && at - first < perDocument; p++) {
      if (values[p] < threshold) continue;
      const t = terms[p];
      if (dense[t] < 0) dense[t] = termCount++;
      kept[at++] = dense[t];
    }
    start[d + 1] = at;
  }
  return { docStart: start, terms: kept.subarray(0, at), termCount };
}

/** Stable counting sort of `items` by key[item] (keys < range). */
function countingSortBy(key: Uint32Array, items: Uint32Array, range: number): Uint32Array {
  const start = new Uint32Array(range + 1);
  for (let i = 0; i < items.length; i++) start[key[items[i]] + 1]++;
  for (let k = 0; k < range; k++) start[k + 1] += start[k];
  const out = new Uint32Array(items.length);
  for (let i = 0; i < items.length; i++) out[start[key[items[i]]]++] = items[i];
  return out;
}
