/**
 * engines/: splade-ts vectors in the engines people scale out on — OpenSearch (rank_features) and PostgreSQL
 * with pgvector (sparsevec) — written by the push loop and searched with each engine's native query.
 */
export type { EngineTarget, EngineDocument, EngineHit, EngineName, BatchOutcome, ItemFailure } from "./engine.js";
export { encodeFeatureKey, decodeFeatureKey, FeatureKeys, FEATURE_KEY_SCHEME, type TokenVocabulary } from "./feature-keys.js";
export { toOpenSearchQuery, fromOpenSearchQuery, toRankFeatures, fromRankFeatures, DEFAULT_VECTOR_FIELD, type OpenSearchQueryMode, type OpenSearchQueryOptions } from "./opensearch-query.js";
export { opensearchStoredWeight } from "./opensearch-weights.js";
export { toSparsevecLiteral, fromSparsevecLiteral } from "./sparsevec.js";
export { type TargetMeta, engineQueryVector } from "./target-meta.js";
export { OpenSearchTarget } from "./opensearch-target.js";
export { PostgresTarget, type SqlQueryable } from "./postgres-target.js";
export { openEngineTarget, type EngineTargetOptions } from "./open-target.js";
export { pushToTarget, PUSH_DEFAULTS, type PushSource, type PushOptions, type PushReport, type PushProgress } from "./push.js";
export { indexSource, corpusSource, vectorsSource } from "./sources.js";
export { searchEngineTarget, type EngineSearchOptions } from "./engine-search.js";
export { RETRY_DEFAULTS, type RetryOptions } from "./retry.js";
