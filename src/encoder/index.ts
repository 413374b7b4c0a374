/**
 * The encoder's public surface: SparseEncoder and its option and result types.
 */
export { SparseEncoder, type EncodeOptions, type EncodeProgress, type FromPretrainedOptions, type ModelInfo } from "./sparse-encoder.js";
export { loadTokenizer, resolveModelFolder } from "./load.js";
export type { SimilarityName } from "./model-folder.js";
export type { Sparsity } from "./vector-ops.js";
