/**
 * Golden fixtures (test/fixtures, see MANIFEST.md) and whole-array comparisons with MANIFEST's tolerances.
 * Every comparison reports max |Δ| and the first index out of tolerance.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SparseVector } from "../../src/sparse/vector.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const MODELS = ["tiny-distilbert-splade", "tiny-bert-splade"] as const;
/** MANIFEST.md "Other SparseEncoder families": Router models (three goldens per text: query, document, null). */
export const ROUTER_MODELS = ["tiny-inference-free-splade", "tiny-opensearch-inference-free", "tiny-asym-splade"] as const;
/** The same models as MODELS in other weight formats, with byte-identical goldens. */
export const WEIGHT_FORMAT_MODELS = ["tiny-bert-splade-bin", "tiny-distilbert-splade-sharded"] as const;

/** MANIFEST.md "Tolerances". */
export const TOLERANCE = {
  spladeValue: 1e-4,
  /** A dimension present on one side only must weigh less than this. */
  oneSidedWeight: 1e-4,
  hidden: 1e-4,
  similarityRelative: 1e-5,
  similarityAbsolute: 1e-4,
};

export interface EncodeGolden {
  /** null: a plain encode() (no task, no prompt). */
  task: "query" | "document" | null;
  text: string;
  input_ids: number[];
  indices: number[];
  values: number[];
}

export interface ExtrasGolden {
  last_hidden_state: Array<{ text: string; hidden: number[][] }>;
  max_active_dims_16: Array<{ text: string; indices: number[]; values: number[] }>;
  decode_top5: Array<{ text: string; tokens: Array<[string, number]> }>;
  similarity_dot: { queries: string[]; documents: string[]; scores: number[][] };
}

export function modelDir(model: string): string {
  return `${FIXTURES}${model}`;
}

export function encodeGoldens(model: string): EncodeGolden[] {
  return readFileSync(`${FIXTURES}${model}.encode.jsonl`, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EncodeGolden);
}

export interface SimilarityGolden {
  queries: string[];
  documents: string[];
  scores: number[][];
}

export interface FamilyExtrasGolden {
  similarity_dot?: SimilarityGolden;
  similarity_cosine?: SimilarityGolden;
  pooled_embedding?: Array<{ text: string; embedding: number[] }>;
  min_topk_gap?: number;
}

export function familyExtrasGolden(model: string): FamilyExtrasGolden {
  return JSON.parse(readFileSync(`${FIXTURES}${model}.extras.json`, "utf8")) as FamilyExtrasGolden;
}

/** Failure messages for a similarity matrix against its golden (relative 1e-5 or absolute 1e-4). */
export function compareSimilarity(matrix: number[][], golden: SimilarityGolden, label: string): string[] {
  const failures: string[] = [];
  golden.scores.forEach((row, i) =>
    row.forEach((expected, j) => {
      const delta = Math.abs(matrix[i][j] - expected);
      if (!(delta <= TOLERANCE.similarityAbsolute || delta <= TOLERANCE.similarityRelative * Math.abs(expected))) {
        failures.push(`${label}[${i}][${j}]: ${matrix[i][j]} vs ${expected}`);
      }
    }),
  );
  return failures;
}

export function extrasGolden(model: string): ExtrasGolden {
  return JSON.parse(readFileSync(`${FIXTURES}${model}.extras.json`, "utf8")) as ExtrasGolden;
}

/** Returns a failure message, or undefined when `actual` matches `expected` within MANIFEST's tolerances. */
export function compareSparse(actual: SparseVector, expected: { indices: number[]; values: number[] }, label: string): string | undefined {
  let i = 0;
  let j = 0;
  let maxDelta = 0;
  let firstBad: string | undefined;
  const bad = (what: string) => (firstBad ??= what);
  while (i < actual.indices.length || j < expected.indices.length) {
    const a = i < actual.indices.length ? actual.indices[i] : Infinity;
    const e = j < expected.indices.length ? expected.indices[j] : Infinity;
    if (a === e) {
      const delta = Math.abs(actual.values[i] - expected.values[j]);
      maxDelta = Math.max(maxDelta, delta);
      if (!(delta <= TOLERANCE.spladeValue)) bad(`dim ${a}: got ${actual.values[i]}, expected ${expected.values[j]}`);
      i++;
      j++;
    } else if (a < e) {
      maxDelta = Math.max(maxDelta, actual.values[i]);
      if (!(actual.values[i] < TOLERANCE.oneSidedWeight)) bad(`dim ${a}: got ${actual.values[i]}, expected absent`);
      i++;
    } else {
      maxDelta = Math.max(maxDelta, expected.values[j]);
      if (!(expected.values[j] < TOLERANCE.oneSidedWeight)) bad(`dim ${e}: absent, expected ${expected.values[j]}`);
      j++;
    }
  }
  return firstBad === undefined ? undefined : `${label}: max |Δ| ${maxDelta.toExponential(3)}, first bad ${firstBad}`;
}

/** Compares two dense arrays elementwise; a failure message or undefined. */
export function compareDense(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, label: string): string | undefined {
  if (actual.length !== expected.length) return `${label}: length ${actual.length}, expected ${expected.length}`;
  let maxDelta = 0;
  let firstBad = -1;
  for (let k = 0; k < expected.length; k++) {
    const delta = Math.abs(actual[k] - expected[k]);
    maxDelta = Math.max(maxDelta, delta);
    if (!(delta <= tolerance) && firstBad < 0) firstBad = k;
  }
  if (firstBad < 0) return undefined;
  return `${label}: max |Δ| ${maxDelta.toExponential(3)}, first bad index ${firstBad} (got ${actual[firstBad]}, expected ${expected[firstBad]})`;
}
