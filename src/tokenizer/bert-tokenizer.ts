/**
 * BertTokenizer: text → WordPiece ids, identical to the Rust Hugging Face `tokenizers` crate (0.22) for BERT
 * checkpoints (test/tokenizer/parity.test.ts holds every line of the tokenizer.jsonl golden to it).
 * Pipeline per text: cut out added tokens → BertNormalizer → BertPreTokenizer → WordPiece → [CLS] … [SEP].
 * Written by hand rather than on a library: @huggingface/tokenizers 0.2.0 (pure JS) gets 221 of the 224
 * golden lines (final sigma, CJK extension planes), and the crate's own Node binding (npm `tokenizers`, native,
 * 64 MB) encodes only asynchronously; it serves as the oracle that generated unicode-tables.ts instead.
 *
 * Shapes: B texts in a batch, T = longest encoding in the batch (after truncation). Batch tensors are
 * row-major [B, T] BigInt64Array, ready for onnxruntime int64 inputs.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SpladeError, check } from "../util/errors.js";
import { AddedTokenMatcher } from "./added-tokens.js";
import { normalizeBert } from "./normalizer.js";
import { preTokenizeBert } from "./pre-tokenizer.js";
import type { BertTokenizerSpec } from "./spec.js";
import { readTokenizerJson, type TokenizerJsonOptions } from "./tokenizer-json.js";
import { readTokenizerConfig, readVocabTxt, type VocabTxtOptions } from "./vocab-txt.js";
import { WordPiece } from "./wordpiece.js";

export interface EncodeOptions {
  /** Truncate to this many ids, [CLS] and [SEP] included (HF `truncation=True, max_length`). */
  maxLength?: number;
}

export interface EncodedBatch {
  inputIds: BigInt64Array; // [B, T], padded with padId
  attentionMask: BigInt64Array; // [B, T], 1 for real tokens, 0 for padding
  batchSize: number;
  seqLen: number;
  /** Unpadded length of each row. */
  lengths: number[];
}

export class BertTokenizer {
  readonly vocabSize: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  private readonly spec: BertTokenizerSpec;
  private readonly wordPiece: WordPiece;
  private readonly added: AddedTokenMatcher;
  private readonly tokens: string[];
  private readonly tokenIds: Map<string, number>;

  constructor(spec: BertTokenizerSpec) {
    check(
      spec.prefixIds.length > 0 && spec.suffixIds.length > 0,
      "BertTokenizer: the template needs ids before and after the sequence",
    );
    this.spec = spec;
    this.wordPiece = new WordPiece(spec.vocab, spec.wordPiece);
    this.added = new AddedTokenMatcher(spec.addedTokens, (text) => normalizeBert(text, spec.normalizer));
    this.tokenIds = new Map(spec.vocab);
    for (const t of spec.addedTokens) this.tokenIds.set(t.content, t.id);
    this.tokens = [];
    for (const [token, id] of this.tokenIds) this.tokens[id] = token;
    this.vocabSize = this.tokens.length;
    this.clsId = spec.prefixIds[0];
    this.sepId = spec.suffixIds[spec.suffixIds.length - 1];
    this.padId = spec.padId;
    this.unkId = spec.vocab.get(spec.wordPiece.unkToken)!;
  }

  /** From a tokenizer.json. */
  static fromFile(path: string, opts: TokenizerJsonOptions = {}): BertTokenizer {
    return new BertTokenizer(readTokenizerJson(path, opts));
  }

  /** From a vocab.txt; options as tokenizer_config.json's (`do_lower_case` …). */
  static fromVocabFile(path: string, opts: VocabTxtOptions = {}): BertTokenizer {
    return new BertTokenizer(readVocabTxt(path, opts));
  }

  /**
   * From a model folder: tokenizer.json when present, else vocab.txt with the options of
   * tokenizer_config.json (when present), overridden by `opts`.
   */
  static fromModelDir(dir: string, opts: VocabTxtOptions = {}): BertTokenizer {
    const tokenizerJson = join(dir, "tokenizer.json");
    if (existsSync(tokenizerJson)) {
      return BertTokenizer.fromFile(
        tokenizerJson,
        opts.specialTokens?.pad === undefined ? {} : { padToken: opts.specialTokens.pad },
      );
    }
    const vocabTxt = join(dir, "vocab.txt");
    if (!existsSync(vocabTxt)) {
      throw new SpladeError("FILE_NOT_FOUND", `${dir}: neither tokenizer.json nor vocab.txt is there`, { path: dir });
    }
    const configPath = join(dir, "tokenizer_config.json");
    const config = existsSync(configPath) ? readTokenizerConfig(configPath) : {};
    const specialTokens = { ...config.specialTokens, ...opts.specialTokens };
    return BertTokenizer.fromVocabFile(vocabTxt, { ...config, ...opts, specialTokens });
  }

  idToToken(id: number): string {
    const token = Number.isInteger(id) ? this.tokens[id] : undefined;
    if (token === undefined)
      throw new SpladeError("NOT_FOUND", `token id ${id} is not in the vocabulary (size ${this.vocabSize})`);
    return token;
  }

  tokenToId(token: string): number | undefined {
    return this.tokenIds.get(token);
  }

  /** WordPiece ids of the text without special tokens, untruncated (used by BM25 too). */
  tokenizeToIds(text: string): number[] {
    check(typeof text === "string", `tokenizeToIds: text must be a string, got ${typeof text}`);
    const out: number[] = [];
    const onWord = (word: string): void => this.wordPiece.tokenize(word, out);
    for (const segment of this.added.splitRaw(text)) {
      if (typeof segment === "number") {
        out.push(segment);
        continue;
      }
      const normalized = normalizeBert(segment, this.spec.normalizer);
      if (!this.added.hasNormalized) {
        preTokenizeBert(normalized, onWord);
        continue;
      }
      for (const piece of this.added.splitNormalized(normalized)) {
        if (typeof piece === "number") out.push(piece);
        else preTokenizeBert(piece, onWord);
      }
    }
    return out;
  }

  /** [CLS] … [SEP], truncated to maxLength (specials included) when given. */
  encode(text: string, opts: EncodeOptions = {}): number[] {
    const { prefixIds, suffixIds } = this.spec;
    const ids = this.tokenizeToIds(text);
    if (opts.maxLength !== undefined) {
      const specials = prefixIds.length + suffixIds.length;
      check(
        Number.isInteger(opts.maxLength) && opts.maxLength >= specials,
        `encode: maxLength must be an integer >= ${specials} (the special tokens), got ${opts.maxLength}`,
      );
      if (ids.length > opts.maxLength - specials) ids.length = opts.maxLength - specials;
    }
    return [...prefixIds, ...ids, ...suffixIds];
  }

  /** A padded batch: ids and attention mask [B, T] row-major, T = longest row after truncation. */
  encodeBatch(texts: readonly string[], opts: EncodeOptions = {}): EncodedBatch {
    check(Array.isArray(texts), "encodeBatch: texts must be an array of strings");
    const rows = texts.map((text) => this.encode(text, opts));
    const batchSize = rows.length;
    const seqLen = rows.reduce((max, row) => Math.max(max, row.length), 0);
    const inputIds = new BigInt64Array(batchSize * seqLen).fill(BigInt(this.padId)); // [B, T]
    const attentionMask = new BigInt64Array(batchSize * seqLen); // [B, T]
    rows.forEach((row, b) => {
      const base = b * seqLen;
      for (let t = 0; t < row.length; t++) {
        inputIds[base + t] = BigInt(row[t]);
        attentionMask[base + t] = 1n;
      }
    });
    return { inputIds, attentionMask, batchSize, seqLen, lengths: rows.map((row) => row.length) };
  }
}
