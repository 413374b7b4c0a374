/**
 * int8 against float32 on the same texts: mean cosine of the vectors, and the overlap of each query's top-10
 * documents (dot product over the encoded documents), from the JSONL vectors the encode bench writes.
 */
import { readFileSync } from "node:fs";
import { dot } from "../src/sparse/ops.js";
import type { SparseVector } from "../src/sparse/vector.js";

export function writeVectorsJsonl(vectors: SparseVector[]): string {
  return vectors.map((v) => JSON.stringify({ indices: Array.from(v.indices), values: Array.from(v.values) })).join("\n");
}

function readVectors(path: string): SparseVector[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { indices: number[]; values: number[] })
    .map((v) => ({ indices: Uint32Array.from(v.indices), values: Float32Array.from(v.values) }));
}

function meanCosine(a: SparseVector[], b: SparseVector[]): number {
  const cos = a.map((v, i) => dot(v, b[i]) / Math.sqrt(dot(v, v) * dot(b[i], b[i]) || 1));
  return cos.reduce((x, y) => x + y, 0) / cos.length;
}

function topK(query: SparseVector, docs: SparseVector[], k: number): number[] {
  return docs.map((d, i) => [dot(query, d), i]).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, k).map(([, i]) => i);
}

/** Reads `${dir}/{fp32,int8}-{queries,docs}.jsonl`. */
export function fidelity(dir: string): { queryCosine: number; docCosine: number; top10Overlap: number } {
  const [qa, qb, da, db] = ["fp32-queries", "int8-queries", "fp32-docs", "int8-docs"].map((n) => readVectors(`${dir}/${n}.jsonl`));
  const overlaps = qa.map((q, i) => {
    const a = new Set(topK(q, da, 10));
    return topK(qb[i], db, 10).filter((d) => a.has(d)).length / 10;
  });
  return { queryCosine: meanCosine(qa, qb), docCosine: meanCosine(da, db), top10Overlap: overlaps.reduce((x, y) => x + y, 0) / overlaps.length };
}
