/**
 * What splade-ts records in an engine target (OpenSearch index mapping `_meta.splade_ts`, PostgreSQL row of
 * the `splade_ts_targets` table) when it creates it, so that `splade search --engine …` finds the model again
 * and pushes into an existing target are checked for compatibility:
 *  - the model record of the app layer ({"kind": "bm25", vocab, k1, b} or {"kind": "splade", model});
 *  - the vector dimension (vocabulary size) and, for OpenSearch, the feature-key rule (feature-keys.ts);
 *  - for BM25, the collection statistics that queries need: document count N and document frequency per
 *    term, so that a query term counted c times weighs c · idf(df, N) exactly as the local index computes it
 *    (index/bm25.ts). Document weights are the impacts tf / (tf + k1·(…)) computed at push time.
 */
import { createHash } from "node:crypto";
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { bm25QueryWeight } from "../index/bm25.js";
import { parseModelRecord, type ModelRecord } from "../app/document-encoder.js";

export const TARGET_META_FORMAT = "splade-ts-target";
export const TARGET_META_VERSION = 1;

export interface Bm25Statistics {
  readonly docCount: number;
  /** [dimension] documents containing each term (deleted ones included, as the local index counts). */
  readonly documentFrequency: readonly number[];
}

export interface TargetMeta {
  readonly format: typeof TARGET_META_FORMAT;
  readonly version: number;
  readonly model: ModelRecord;
  readonly dimension: number;
  /** OpenSearch only: the feature-key rule. */
  readonly featureKeys?: string;
  readonly bm25?: Bm25Statistics;
}

export function parseTargetMeta(value: unknown, where: string): TargetMeta {
  const m = value as Record<string, unknown> | null;
  if (m === null || typeof m !== "object" || m.format !== TARGET_META_FORMAT) {
    throw new SpladeError("CONFLICT", `${where} was not created by splade-ts (no splade-ts metadata); push into a new target or pass --model`);
  }
  if (typeof m.version !== "number" || m.version > TARGET_META_VERSION) {
    throw new SpladeError("UNSUPPORTED", `${where}: splade-ts target metadata version ${String(m.version)}; this version reads up to ${TARGET_META_VERSION}`);
  }
  if (!Number.isInteger(m.dimension) || (m.dimension as number) < 1) throw new SpladeError("CONFLICT", `${where}: target metadata has no valid dimension`);
  const bm25 = m.bm25 as Record<string, unknown> | undefined;
  if (bm25 !== undefined && (!Number.isInteger(bm25.docCount) || !Array.isArray(bm25.documentFrequency) || bm25.documentFrequency.length !== m.dimension)) {
    throw new SpladeError("CONFLICT", `${where}: target metadata has malformed BM25 statistics`);
  }
  return { ...(m as unknown as TargetMeta), model: parseModelRecord(m.model, where) };
}

/** A short digest of BM25 statistics (to compare targets and sources without shipping the arrays). */
export function bm25StatisticsDigest(stats: Bm25Statistics): string {
  return createHash("sha256").update(`${stats.docCount}:${stats.documentFrequency.join(",")}`).digest("hex").slice(0, 16);
}

/** Throws CONFLICT unless documents described by `source` can go into a target described by `target`. */
export function checkCompatible(target: TargetMeta, source: TargetMeta, where: string): void {
  const fail = (problem: string): never => {
    throw new SpladeError("CONFLICT", `${where} ${problem}`);
  };
  if (JSON.stringify(target.model) !== JSON.stringify(source.model)) {
    fail(`holds vectors of model ${JSON.stringify(target.model)}, not ${JSON.stringify(source.model)}; push into another target`);
  }
  if (target.dimension !== source.dimension) fail(`has dimension ${target.dimension}, the vectors have ${source.dimension}`);
  if ((target.featureKeys ?? null) !== (source.featureKeys ?? null)) fail(`uses feature keys ${target.featureKeys}, this version writes ${source.featureKeys}`);
  if ((target.bm25 === undefined) !== (source.bm25 === undefined) || (target.bm25 && bm25StatisticsDigest(target.bm25) !== bm25StatisticsDigest(source.bm25!))) {
    fail("holds BM25 statistics of another corpus (BM25 weights depend on the whole collection); push into a new target");
  }
}

/** The query as the engine scores it: BM25 targets turn term counts into count · idf; others pass through. */
export function engineQueryVector(meta: TargetMeta, query: SparseVector): SparseVector {
  if (meta.bm25 === undefined) return query;
  const { docCount, documentFrequency } = meta.bm25;
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < query.indices.length; i++) {
    const df = documentFrequency[query.indices[i]] ?? 0;
    if (df === 0 || query.values[i] === 0) continue;
    indices.push(query.indices[i]);
    values.push(bm25QueryWeight(query.values[i], df, docCount));
  }
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
}
