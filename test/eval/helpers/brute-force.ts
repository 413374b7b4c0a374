// The slow oracle: score every document by the dot product, keep those scoring > 0 (a document sharing no
// active dimension with the query is not retrieved, as in the index), sort by score descending, then corpus order.
import type { SparseVector } from "../../../src/sparse/vector.js";
import type { SearchHit } from "../../../src/eval/encoded-evaluation.js";

export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    if (a.indices[i] === b.indices[j]) sum += a.values[i++] * b.values[j++];
    else if (a.indices[i] < b.indices[j]) i++;
    else j++;
  }
  return sum;
}

export function bruteForceSearch(corpus: readonly SparseVector[]) {
  return (queries: readonly SparseVector[], k: number): SearchHit[][] =>
    queries.map((query) =>
      corpus
        .map((doc, index) => ({ doc: index, score: dot(query, doc) }))
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score || a.doc - b.doc)
        .slice(0, k),
    );
}

export function vec(entries: Record<number, number>): SparseVector {
  const dims = Object.keys(entries).map(Number).sort((a, b) => a - b);
  return { indices: Uint32Array.from(dims), values: Float32Array.from(dims.map((d) => entries[d])) };
}
