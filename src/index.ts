/**
 * splade-ts public API. Two halves that meet only in the SparseVector type:
 *   neural    — SparseEncoder (load, encode, similarity, decode), BertTokenizer, training;
 *   retrieval — SparseIndex (exact top-k, persistence), BM25, fusion, IR metrics and datasets.
 * app-level use cases (index a corpus, search, evaluate a model) compose them, as the CLI does.
 */
export { SpladeError, isSpladeError, type SpladeErrorCode } from "./util/errors.js";

// Sparse vectors
export type { SparseVector } from "./sparse/vector.js";
export { dot, fromDense, fromEntries, toDense, nnz } from "./sparse/ops.js";
export { pruneTopK, pruneBelow } from "./sparse/prune.js";

// Encoding
export {
  SparseEncoder,
  describeModel,
  encodeFile,
  type EncodeOptions,
  type EncodeWithTaskOptions,
  type EncodeProgress,
  type EncoderInfo,
  type FromPretrainedOptions,
  type ModelInfo,
  type SimilarityName,
  type Sparsity,
  type Task,
} from "./encoder/index.js";
export { loadPipeline, type ModelPipeline, type Route, type PipelineModule } from "./encoder/index.js";
export { BertTokenizer, type EncodedBatch } from "./tokenizer/index.js";
export { hubOptionsFromEnv, downloadFile, resolveModelPath, type HubOptions } from "./hub/index.js";
export { readSafetensors, writeSafetensors } from "./safetensors/index.js";

// Retrieval
export type { IndexDocument } from "./index/segment-builder.js";
export { SparseIndex, type SearchHit, type SearchOptions, type IndexStats } from "./index/sparse-index.js";
export { createIndex, addDocuments, deleteDocuments, mergeIndex } from "./index/index-writer.js";
export { SearchPool } from "./index/search-pool.js";
export { reciprocalRankFusion } from "./index/fusion.js";

// Evaluation
export { evaluateRankings, queryMetrics, type Conventions } from "./eval/ir-metrics.js";
export { evaluateRun } from "./eval/run-evaluation.js";
export { readQrelsFile } from "./eval/qrels-file.js";
export { readRunFile } from "./eval/run-file.js";
export { loadBeirDataset } from "./eval/beir.js";
export { loadNanoBeirDataset, NANOBEIR_DATASETS, type NanoBeirName } from "./eval/nanobeir.js";
export { formatCardTable } from "./eval/report.js";

// Training
export { train, type TrainRunOptions, type TrainResult, type TrainingProgress } from "./train/trainer.js";
export { TRAINING_DEFAULTS, type TrainingOptions } from "./train/options.js";
export { initModelFolder, type InitModelOptions } from "./train/init-model.js";

// Use cases (what the CLI runs)
export { createEncoder } from "./app/encoders.js";
export { buildIndexFromCorpus, addCorpusToIndex } from "./app/index-corpus.js";
export { searchIndexes } from "./app/search-indexes.js";
export { evaluateModel } from "./app/evaluate.js";

// HTTP service
export { createServer, type CreateServerOptions, type SpladeServer, type ListenOptions } from "./server/create-server.js";

// Engines: OpenSearch (rank_features) and PostgreSQL/pgvector (sparsevec)
export { toOpenSearchQuery, fromOpenSearchQuery, toRankFeatures, fromRankFeatures, encodeFeatureKey, decodeFeatureKey, FeatureKeys, opensearchStoredWeight } from "./engines/index.js";
export { toSparsevecLiteral, fromSparsevecLiteral } from "./engines/index.js";
export { openEngineTarget, OpenSearchTarget, PostgresTarget, pushToTarget, indexSource, corpusSource, vectorsSource, searchEngineTarget } from "./engines/index.js";
export type { EngineTarget, EngineDocument, EngineHit, EngineTargetOptions, PushOptions, PushReport, PushSource, SqlQueryable, TargetMeta } from "./engines/index.js";
