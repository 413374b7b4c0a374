/**
 * SparseVector ↔ pgvector's `sparsevec` text format `{i:w,j:w,…}/dim`, whose indices start at 1 (pgvector's
 * sparsevec_in/out), so term id t is written t + 1. Weights are written as JavaScript's shortest decimal
 * for the float32 value (as a double), which pgvector's strtof reads back to the same float32; pgvector
 * prints the shortest float32 decimal, which Math.fround(parseFloat) reads back exactly.
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { validateSparseVector } from "../sparse/validate.js";

export function toSparsevecLiteral(vector: SparseVector, dimension: number): string {
  if (!Number.isInteger(dimension) || dimension < 1) throw new SpladeError("INVALID_ARGUMENT", `sparsevec dimension must be a positive integer, got ${dimension}`);
  validateSparseVector(vector, { dimension });
  const parts = new Array<string>(vector.indices.length);
  for (let i = 0; i < vector.indices.length; i++) parts[i] = `${vector.indices[i] + 1}:${vector.values[i]}`;
  return `{${parts.join(",")}}/${dimension}`;
}

export function fromSparsevecLiteral(literal: string): { vector: SparseVector; dimension: number } {
  const match = /^\s*\{([^}]*)\}\s*\/\s*(\d+)\s*$/.exec(literal);
  if (match === null) throw new SpladeError("INVALID_ARGUMENT", `not a sparsevec literal: ${literal.slice(0, 60)}`);
  const dimension = Number(match[2]);
  const body = match[1].trim();
  const entries = body === "" ? [] : body.split(",");
  const indices = new Uint32Array(entries.length);
  const values = new Float32Array(entries.length);
  entries.forEach((entry, i) => {
    const [index, weight] = entry.split(":");
    const id = Number(index) - 1;
    const w = Number(weight);
    if (!Number.isInteger(id) || id < 0 || weight === undefined || !Number.isFinite(w)) {
      throw new SpladeError("INVALID_ARGUMENT", `sparsevec literal: bad element "${entry.trim()}"`);
    }
    indices[i] = id;
    values[i] = w;
  });
  const vector = { indices, values };
  validateSparseVector(vector, { dimension, label: "sparsevec literal" });
  return { vector, dimension };
}
