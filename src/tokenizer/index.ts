/**
 * The tokenizer layer's public surface: BertTokenizer and the option and spec types its loaders take.
 */
export { BertTokenizer, type EncodeOptions, type EncodedBatch } from "./bert-tokenizer.js";
export type { BertTokenizerSpec } from "./spec.js";
export type { TokenizerJsonOptions } from "./tokenizer-json.js";
export type { VocabTxtOptions } from "./vocab-txt.js";
export type { AddedToken } from "./added-tokens.js";
export type { BertNormalizerOptions } from "./normalizer.js";
export type { WordPieceOptions } from "./wordpiece.js";
