/**
 * Everything a BertTokenizer needs, in one plain object that both loaders produce: tokenizer.json
 * (tokenizer-json.ts) and the older vocab.txt + tokenizer_config.json layout (vocab-txt.ts). Keeping the file
 * formats out of the tokenizer means the two paths can be checked against each other (they must give
 * identical ids for the same checkpoint), and a caller with an in-memory vocabulary can build one directly.
 */
import type { AddedToken } from "./added-tokens.js";
import type { BertNormalizerOptions } from "./normalizer.js";
import type { WordPieceOptions } from "./wordpiece.js";

export interface BertTokenizerSpec {
  /** The WordPiece vocabulary: token → id. */
  vocab: ReadonlyMap<string, number>;
  /** Tokens cut out of the text before normalization (or after it, when `normalized`). */
  addedTokens: readonly AddedToken[];
  normalizer: BertNormalizerOptions;
  wordPiece: WordPieceOptions;
  /** Ids the post-processor puts before and after a single sequence: [CLS] and [SEP] for BERT. */
  prefixIds: readonly number[];
  suffixIds: readonly number[];
  /** Id used to pad batches ([PAD], 0 in BERT vocabularies). */
  padId: number;
}

/** transformers' BertTokenizer special tokens (tokenization_bert.py `__init__` defaults). */
export const BERT_SPECIAL_TOKENS = {
  unk: "[UNK]",
  sep: "[SEP]",
  pad: "[PAD]",
  cls: "[CLS]",
  mask: "[MASK]",
} as const;

/** transformers' BertTokenizer / BasicTokenizer / WordpieceTokenizer defaults. */
export const BERT_DEFAULTS = {
  doLowerCase: true,
  tokenizeChineseChars: true,
  continuingSubwordPrefix: "##",
  maxInputCharsPerWord: 100,
} as const;
