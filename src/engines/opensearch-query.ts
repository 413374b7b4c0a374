/**
 * SparseVector ↔ OpenSearch JSON, both directions:
 *  - documents: a `rank_features` object {key: weight} (keys: feature-keys.ts);
 *  - queries, two native forms that score the same Σ query weight × stored document weight:
 *    "neural_sparse" — `{neural_sparse: {field: {query_tokens: {key: weight}}}}`, needs the neural-search
 *    plugin (raw tokens, no model on the engine);
 *    "rank_feature" — `{bool: {should: [{rank_feature: {field: "field.key", linear: {}, boost: weight}}]}}`,
 *    needs only the mapper-extras module that every OpenSearch distribution ships. Each clause scores
 *    boost × stored weight; bool sums the clauses that match. OpenSearch caps clauses per query at
 *    `indices.query.bool.max_clause_count` (1,024 by default).
 * The inverses turn engine JSON back into vectors (ascending ids; float32 weights).
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { fromEntries } from "../sparse/ops.js";
import type { FeatureKeys } from "./feature-keys.js";

export type OpenSearchQueryMode = "rank_feature" | "neural_sparse";

export interface OpenSearchQueryOptions {
  /** Vocabulary keys (feature-keys.ts). */
  readonly keys: FeatureKeys;
  /** The rank_features field (default "vector"). */
  readonly field?: string;
  /** Query form (default "rank_feature"). */
  readonly mode?: OpenSearchQueryMode;
}

/** The rank_features field splade-ts creates and queries. */
export const DEFAULT_VECTOR_FIELD = "vector";

/** A vector as a rank_features object {key: weight}. */
export function toRankFeatures(vector: SparseVector, keys: FeatureKeys): Record<string, number> {
  const features: Record<string, number> = {};
  for (let i = 0; i < vector.indices.length; i++) features[keys.key(vector.indices[i])] = vector.values[i];
  return features;
}

/** A rank_features object back to a vector. */
export function fromRankFeatures(features: Record<string, unknown>, keys: FeatureKeys): SparseVector {
  return fromEntries(
    Object.entries(features).map(([key, weight]) => {
      if (typeof weight !== "number") throw new SpladeError("INVALID_ARGUMENT", `feature "${key}" has a non-numeric weight`);
      return [keys.id(key), weight] as const;
    }),
  );
}

export function toOpenSearchQuery(vector: SparseVector, options: OpenSearchQueryOptions): Record<string, unknown> {
  const field = options.field ?? DEFAULT_VECTOR_FIELD;
  if ((options.mode ?? "rank_feature") === "neural_sparse") {
    return { neural_sparse: { [field]: { query_tokens: toRankFeatures(vector, options.keys) } } };
  }
  const should = Array.from(vector.indices, (id, i) => ({
    rank_feature: { field: `${field}.${options.keys.key(id)}`, linear: {}, boost: vector.values[i] },
  }));
  return { bool: { should } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The inverse of toOpenSearchQuery for either form. */
export function fromOpenSearchQuery(query: Record<string, unknown>, options: Omit<OpenSearchQueryOptions, "mode">): SparseVector {
  const field = options.field ?? DEFAULT_VECTOR_FIELD;
  const bad = (problem: string): never => {
    throw new SpladeError("INVALID_ARGUMENT", `not a splade-ts OpenSearch query: ${problem}`);
  };
  if (isObject(query.neural_sparse)) {
    const body = query.neural_sparse[field];
    if (!isObject(body) || !isObject(body.query_tokens)) return bad(`neural_sparse has no query_tokens for field "${field}"`);
    return fromRankFeatures(body.query_tokens, options.keys);
  }
  const should = isObject(query.bool) ? query.bool.should : undefined;
  if (!Array.isArray(should)) return bad("expected neural_sparse or bool.should");
  const prefix = `${field}.`;
  return fromEntries(
    should.map((clause: unknown) => {
      const rf = isObject(clause) && isObject(clause.rank_feature) ? clause.rank_feature : bad("a should clause is not a rank_feature query");
      if (typeof rf.field !== "string" || !rf.field.startsWith(prefix)) return bad(`rank_feature field ${JSON.stringify(rf.field)} is not under "${field}"`);
      if (!isObject(rf.linear)) return bad("rank_feature clauses must use the linear function");
      const boost = rf.boost ?? 1;
      if (typeof boost !== "number") return bad("boost must be a number");
      return [options.keys.id(rf.field.slice(prefix.length)), boost] as const;
    }),
  );
}
