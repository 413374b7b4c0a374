/**
 * Turns rows of the graph's dense [B, V] output into SparseVectors: the positive entries (SPLADE weights are
 * log1p(relu(·)) ≥ 0, so zeros are simply absent), optionally only the `maxActiveDims` largest.
 *
 * max_active_dims follows sentence-transformers (SparseEncoder.encode): torch.topk over the dense row, then
 * the rest set to 0. Ties at the cut are broken here by the lower index (topk's order is unspecified).
 */
import type { SparseVector } from "../sparse/vector.js";

/** Row `row` of a dense [rows, dims] matrix as a SparseVector (indices ascending). */
export function denseRowToSparse(dense: Float32Array, row: number, dims: number, maxActiveDims?: number): SparseVector {
  const base = row * dims;
  let count = 0;
  for (let v = 0; v < dims; v++) if (dense[base + v] > 0) count++;
  let indices = new Uint32Array(count);
  for (let v = 0, k = 0; v < dims; v++) if (dense[base + v] > 0) indices[k++] = v;
  if (maxActiveDims !== undefined && count > maxActiveDims) {
    const byWeight = Array.from(indices).sort((a, b) => dense[base + b] - dense[base + a] || a - b);
    indices = Uint32Array.from(byWeight.slice(0, maxActiveDims)).sort();
  }
  const values = new Float32Array(indices.length);
  for (let k = 0; k < indices.length; k++) values[k] = dense[base + indices[k]];
  return { indices, values };
}
