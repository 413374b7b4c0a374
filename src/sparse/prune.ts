/**
 * Pruning a SparseVector to its k largest weights (by absolute value), as SPLADE's `max_active_dims` does at
 * encode time and as query-side pruning does at search time. Ties between equal magnitudes keep the lower
 * term id, so the result is deterministic. The output stays in ascending term order.
 */
import { check } from "../util/errors.js";
import type { SparseVector } from "./vector.js";

export function pruneTopK(vector: SparseVector, k: number): SparseVector {
  check(Number.isInteger(k) && k >= 0, `pruneTopK: k must be a non-negative integer, got ${k}`);
  const n = vector.indices.length;
  if (n <= k) return vector;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => Math.abs(vector.values[b]) - Math.abs(vector.values[a]) || a - b);
  const kept = order.slice(0, k).sort((a, b) => a - b);
  return {
    indices: Uint32Array.from(kept, (i) => vector.indices[i]),
    values: Float32Array.from(kept, (i) => vector.values[i]),
  };
}

/** Drops entries whose absolute weight is at most `threshold`. */
export function pruneBelow(vector: SparseVector, threshold: number): SparseVector {
  const kept: number[] = [];
  for (let i = 0; i < vector.indices.length; i++) if (Math.abs(vector.values[i]) > threshold) kept.push(i);
  if (kept.length === vector.indices.length) return vector;
  return {
    indices: Uint32Array.from(kept, (i) => vector.indices[i]),
    values: Float32Array.from(kept, (i) => vector.values[i]),
  };
}
