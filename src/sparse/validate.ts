/**
 * Checks the SparseVector invariant (vector.ts) at the boundary where vectors enter the retrieval half:
 * typed arrays of equal length, term ids strictly ascending, finite weights; optionally non-negative
 * weights (SPLADE's ReLU/log-saturation and BM25 produce no negative weights, and the pruning bounds of the
 * index rely on it) and a bound on term ids.
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "./vector.js";

export interface ValidateOptions {
  /** Names the vector in error messages, e.g. `document "D12"`. */
  label?: string;
  /** Term ids must be below this (the vocabulary size). */
  dimension?: number;
  /** Reject negative weights. */
  nonNegative?: boolean;
}

export function validateSparseVector(vector: SparseVector, options: ValidateOptions = {}): void {
  const label = options.label ?? "sparse vector";
  const fail = (problem: string): never => {
    throw new SpladeError("INVALID_ARGUMENT", `${label}: ${problem}`);
  };
  if (!(vector?.indices instanceof Uint32Array)) fail("indices must be a Uint32Array");
  if (!(vector.values instanceof Float32Array)) fail("values must be a Float32Array");
  const { indices, values } = vector;
  if (indices.length !== values.length) fail(`${indices.length} indices but ${values.length} values`);
  for (let i = 0; i < indices.length; i++) {
    if (i > 0 && indices[i] <= indices[i - 1]) fail(`term ids must be strictly ascending (position ${i}: ${indices[i - 1]} then ${indices[i]})`);
    const w = values[i];
    if (!Number.isFinite(w)) fail(`weight of term ${indices[i]} is ${w}`);
    if (options.nonNegative && w < 0) fail(`weight of term ${indices[i]} is negative (${w}); only non-negative weights are supported`);
  }
  if (options.dimension !== undefined && indices.length > 0 && indices[indices.length - 1] >= options.dimension) {
    fail(`term id ${indices[indices.length - 1]} is outside the vocabulary of ${options.dimension}`);
  }
}
