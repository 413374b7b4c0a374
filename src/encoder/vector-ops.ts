/**
 * The SparseEncoder's helpers on its outputs, as sentence-transformers defines them (SparseEncoder.py):
 * rows of the graph's dense output → SparseVector (with max_active_dims), similarity matrices, sparsity
 * statistics, the intersection of two vectors, and decoding to (token, weight) pairs.
 */
import { dot, fromDense } from "../sparse/ops.js";
import { pruneTopK } from "../sparse/prune.js";
import type { SparseVector } from "../sparse/vector.js";
import { SpladeError } from "../util/errors.js";

/**
 * Row `row` of a dense [rows, dims] matrix: its non-zero entries, the `maxActiveDims` largest when given
 * (upstream select_max_active_dims: torch.topk; ties here keep the lower token id).
 */
export function denseRowToSparse(dense: Float32Array, row: number, dims: number, maxActiveDims?: number): SparseVector {
  const vector = fromDense(dense.subarray(row * dims, (row + 1) * dims));
  return maxActiveDims === undefined ? vector : pruneTopK(vector, maxActiveDims);
}

function norm(v: SparseVector): number {
  return Math.sqrt(dot(v, v));
}

/**
 * [a.length × b.length] matrix of dot products or cosine similarities (sentence_transformers.util
 * dot_score / cos_sim; a zero vector has cosine 0 with everything, as torch's normalize with eps gives).
 */
export function similarityMatrix(a: readonly SparseVector[], b: readonly SparseVector[], fn: "dot" | "cosine"): number[][] {
  if (fn !== "dot" && fn !== "cosine") throw new SpladeError("INVALID_ARGUMENT", `similarity function must be "dot" or "cosine", got ${JSON.stringify(fn)}`);
  const normsB = fn === "cosine" ? b.map(norm) : [];
  return a.map((x) => {
    const normX = fn === "cosine" ? norm(x) : 1;
    return b.map((y, j) => {
      const d = dot(x, y);
      if (fn === "dot") return d;
      const denominator = normX * normsB[j];
      return denominator > 0 ? d / denominator : 0;
    });
  });
}

export interface Sparsity {
  /** Mean number of non-zero dimensions per vector. */
  activeDims: number;
  /** 1 − activeDims / vocabulary size. */
  sparsityRatio: number;
}

/** SparseEncoder.sparsity: mean active dimensions over the vectors (0 and 1 for none). */
export function sparsityOf(vectors: readonly SparseVector[], dims: number): Sparsity {
  if (vectors.length === 0) return { activeDims: 0, sparsityRatio: 1 };
  const activeDims = vectors.reduce((sum, v) => sum + v.indices.length, 0) / vectors.length;
  return { activeDims, sparsityRatio: 1 - activeDims / dims };
}

/** SparseEncoder.intersection: the elementwise product, keeping positive entries (dimensions active in both). */
export function intersect(a: SparseVector, b: SparseVector): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0, j = 0; i < a.indices.length && j < b.indices.length; ) {
    if (a.indices[i] === b.indices[j]) {
      const product = Math.fround(a.values[i] * b.values[j]);
      if (product > 0) {
        indices.push(a.indices[i]);
        values.push(product);
      }
      i++;
      j++;
    } else if (a.indices[i] < b.indices[j]) i++;
    else j++;
  }
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
}

/** SparseEncoder.decode: (token, weight) by weight, largest first (ties: lower id), the `topK` first when given. */
export function decodeVector(vector: SparseVector, tokenOf: (id: number) => string, topK?: number): Array<[string, number]> {
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 0)) {
    throw new SpladeError("INVALID_ARGUMENT", `decode: topK must be a non-negative integer, got ${topK}`);
  }
  const order = Array.from(vector.indices.keys()).sort((x, y) => vector.values[y] - vector.values[x] || vector.indices[x] - vector.indices[y]);
  return order.slice(0, topK ?? order.length).map((k) => [tokenOf(vector.indices[k]), vector.values[k]]);
}
