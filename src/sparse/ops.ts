/**
 * Arithmetic on SparseVector (see vector.ts): dot product, dense <-> sparse, construction from entries.
 *
 * The dot product is *the* score of the retrieval half, so its arithmetic is fixed here and every search
 * algorithm in src/index/ reproduces it bit for bit: products of the two float32 weights are formed in
 * float64 (exact: 24 + 24 mantissa bits fit in 53) and summed in float64 in ascending term order.
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "./vector.js";

/** Dot product: Σ a[t]·b[t] over shared terms t, summed in float64 in ascending term order. */
export function dot(a: SparseVector, b: SparseVector): number {
  const ai = a.indices;
  const bi = b.indices;
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < ai.length && j < bi.length) {
    const ta = ai[i];
    const tb = bi[j];
    if (ta === tb) {
      sum += a.values[i] * b.values[j];
      i++;
      j++;
    } else if (ta < tb) i++;
    else j++;
  }
  return sum;
}

/** Builds a vector from (term, weight) pairs in any order: weights of repeated terms add, zeros are dropped. */
export function fromEntries(entries: Iterable<readonly [number, number]>): SparseVector {
  const byTerm = new Map<number, number>();
  for (const [term, weight] of entries) {
    if (!Number.isInteger(term) || term < 0 || term > 0xffffffff) {
      throw new SpladeError("INVALID_ARGUMENT", `sparse vector term ${term} is not an unsigned 32-bit integer`);
    }
    if (!Number.isFinite(weight)) throw new SpladeError("INVALID_ARGUMENT", `sparse vector weight ${weight} of term ${term} is not finite`);
    byTerm.set(term, (byTerm.get(term) ?? 0) + weight);
  }
  const terms = [...byTerm.keys()].filter((t) => Math.fround(byTerm.get(t)!) !== 0).sort((x, y) => x - y);
  return {
    indices: Uint32Array.from(terms),
    values: Float32Array.from(terms, (t) => byTerm.get(t)!),
  };
}

/** Keeps the entries of `dense` whose absolute value exceeds `threshold` (default 0: every non-zero). */
export function fromDense(dense: ArrayLike<number>, options: { threshold?: number } = {}): SparseVector {
  const threshold = options.threshold ?? 0;
  let count = 0;
  for (let t = 0; t < dense.length; t++) if (Math.abs(dense[t]) > threshold) count++;
  const indices = new Uint32Array(count);
  const values = new Float32Array(count);
  let k = 0;
  for (let t = 0; t < dense.length; t++) {
    if (Math.abs(dense[t]) > threshold) {
      indices[k] = t;
      values[k++] = dense[t];
    }
  }
  return { indices, values };
}

/** The dense form over `dimension` terms (e.g. 30,522 for BERT). */
export function toDense(vector: SparseVector, dimension: number): Float32Array {
  const dense = new Float32Array(dimension);
  for (let i = 0; i < vector.indices.length; i++) {
    const t = vector.indices[i];
    if (t >= dimension) throw new SpladeError("INVALID_ARGUMENT", `sparse vector term ${t} is outside dimension ${dimension}`);
    dense[t] = vector.values[i];
  }
  return dense;
}

/** Number of non-zero entries. */
export function nnz(vector: SparseVector): number {
  return vector.indices.length;
}
