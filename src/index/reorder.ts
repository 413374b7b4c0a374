/**
 * Document reordering inside a segment, so that the documents of a block look alike and block maxima are
 * tight. Block-max pruning depends on it: on documents in arbitrary order every block of 64 holds most of a
 * SPLADE query's common terms and no block can be skipped (measured: bench/search.ts, BENCHMARKS.md).
 * The BMP paper reorders with recursive graph bisection (BP; Dhulipala et al., KDD 2016), which costs
 * minutes per million documents in native code; here "top-terms" sorts documents by their heaviest term,
 * then their second heaviest (two stable counting sorts, O(N + V)): documents about the same thing share
 * their heaviest terms. Results do not depend on the order (ties go by insertion order through docRank).
 */
export type Reordering = "none" | "top-terms";

/** Permutation [N]: internal doc → insertion position. */
export function reorderDocuments(kind: Reordering, docStart: Float64Array, terms: Uint32Array, values: ArrayLike<number>, maxTerm: number): Uint32Array {
  const N = docStart.length - 1;
  const identity = new Uint32Array(N);
  for (let d = 0; d < N; d++) identity[d] = d;
  if (kind === "none" || N < 2) return identity;
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

/** Stable counting sort of `items` by key[item] (keys < range). */
function countingSortBy(key: Uint32Array, items: Uint32Array, range: number): Uint32Array {
  const start = new Uint32Array(range + 1);
  for (let i = 0; i < items.length; i++) start[key[items[i]] + 1]++;
  for (let k = 0; k < range; k++) start[k + 1] += start[k];
  const out = new Uint32Array(items.length);
  for (let i = 0; i < items.length; i++) out[start[key[items[i]]]++] = items[i];
  return out;
}
