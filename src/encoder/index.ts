/**
 * The encoder's public surface: SparseEncoder and its option and result types.
 */
export { SparseEncoder, type EncodeOptions, type EncodeProgress, type EncoderInfo, type FromPretrainedOptions } from "./sparse-encoder.js";
export { describeModel, type ModelInfo } from "./model-info.js";
export { encodeFile, type EncodeFileOptions } from "./encode-file.js";
export { readTextRecords, type ReadTextRecordsOptions, type TextRecord } from "./text-records.js";
export { loadTokenizer, resolveModelFolder } from "./load.js";
export type { SimilarityName } from "./model-folder.js";
export type { Task } from "./prompts.js";
export type { Sparsity } from "./vector-ops.js";
