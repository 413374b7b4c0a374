/**
 * The encoder's public surface: SparseEncoder, its option and result types, and the loaded model form
 * (ModelPipeline: routes of modules) that trainers and checkpoint writers can walk.
 */
export { SparseEncoder, type EncodeOptions, type EncodeProgress, type EncodeWithTaskOptions, type EncoderInfo, type FromPretrainedOptions } from "./sparse-encoder.js";
export { describeModel, type ModelInfo, type ModuleInfo, type RouteInfo } from "./model-info.js";
export { encodeFile, type EncodeFileOptions } from "./encode-file.js";
export { readTextRecords, type ReadTextRecordsOptions, type TextRecord } from "./text-records.js";
export { loadTokenizer, resolveModelFolder } from "./load.js";
export { loadPipeline } from "./load-pipeline.js";
export { resolveRoute, resolveRouteName } from "./router.js";
export type {
  ModelPipeline,
  PipelineModule,
  Route,
  RouteKind,
  RouterConfig,
  RouteMapping,
  SimilarityName,
  SparseStaticEmbeddingModule,
  TransformerModule,
} from "./pipeline.js";
export type { Task } from "./prompts.js";
export type { Sparsity } from "./vector-ops.js";
