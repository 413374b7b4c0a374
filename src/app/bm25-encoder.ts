/**
 * BM25 over BERT WordPiece as a DocumentEncoder that needs no weights: texts are tokenized with the
 * bert-base-uncased vocabulary (WordPiece pieces as terms, no special tokens, no length cap) into term-count
 * vectors (documents: tf; queries: query term counts); the index applies Lucene's BM25 (k1 = 0.9, b = 0.4 by
 * default; index/bm25.ts), and evaluation's exact search does the same over one in-memory segment
 * (exact-search.ts). This matches Anserini's BEIR "flat-wp" baseline (bert-base-uncased analyzer,
 * bag-of-words query boosted by counts). So sparsity statistics describe token counts.
 * The vocabulary ships with the package (assets/), so `--model bm25` works offline.
 * `maxActiveDims` does not apply to term counts and is refused rather than ignored.
 */
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { BertTokenizer } from "../tokenizer/index.js";
import { BM25_DEFAULTS } from "../index/defaults.js";
import { termFrequencyVector, validateBm25Parameters, type Bm25Parameters } from "../index/bm25.js";
import type { SparseVector } from "../sparse/vector.js";
import { SpladeError } from "../util/errors.js";
import type { DocumentEncoder, EncodeTextsOptions } from "./document-encoder.js";

/** The packaged bert-base-uncased vocabulary (a copy of shared/vocab, 30,522 tokens). */
export const PACKAGED_VOCAB = fileURLToPath(new URL("../../assets/bert-base-uncased-vocab.txt", import.meta.url));
export const PACKAGED_VOCAB_NAME = "bert-base-uncased";

/** Texts between two progress reports when no batch size is given (tokenizing is cheap). */
const PROGRESS_EVERY = 256;

export interface Bm25EncoderOptions {
  /** A vocab.txt; default the packaged bert-base-uncased one (recorded as "bert-base-uncased"). */
  readonly vocab?: string;
  readonly parameters?: Partial<Bm25Parameters>;
}

export function createBm25Encoder(options: Bm25EncoderOptions = {}): DocumentEncoder {
  // A vocab.txt is recorded by its absolute path, so the index finds it from any working folder.
  const vocab = options.vocab === undefined || options.vocab === PACKAGED_VOCAB_NAME ? PACKAGED_VOCAB_NAME : resolve(options.vocab);
  const tokenizer = BertTokenizer.fromVocabFile(vocab === PACKAGED_VOCAB_NAME ? PACKAGED_VOCAB : vocab);
  const parameters = { k1: options.parameters?.k1 ?? BM25_DEFAULTS.k1, b: options.parameters?.b ?? BM25_DEFAULTS.b };
  validateBm25Parameters(parameters);
  const encode = async (texts: readonly string[], opts: EncodeTextsOptions = {}): Promise<SparseVector[]> => {
    if (opts.maxActiveDims !== undefined) {
      throw new SpladeError("INVALID_ARGUMENT", "max active dims applies to SPLADE models, not to bm25 (term counts)");
    }
    const every = opts.batchSize ?? PROGRESS_EVERY;
    const out: SparseVector[] = [];
    for (const text of texts) {
      out.push(termFrequencyVector(tokenizer.tokenizeToIds(text)));
      if (out.length % every === 0) opts.onProgress?.(out.length, texts.length);
    }
    if (out.length === 0 || out.length % every !== 0) opts.onProgress?.(out.length, texts.length);
    return out;
  };
  return {
    kind: "bm25",
    record: { kind: "bm25", vocab, ...parameters },
    indexSettings: { weighting: { kind: "bm25", ...parameters } },
    vocabSize: tokenizer.vocabSize,
    tokenLookup: tokenizer,
    textTokenIds: (text) => tokenizer.tokenizeToIds(text),
    encodeDocuments: encode,
    encodeQueries: encode,
    release: async () => undefined,
  };
}
