/**
 * BM25 over BERT WordPiece tokens as an EvaluationModel (evaluate.ts): the baseline of Anserini's BEIR
 * "flat-wp" runs (bert-base-uncased WordPiece analyzer, Lucene BM25 k1 = 0.9, b = 0.4; see
 * index/defaults.ts BM25_DEFAULTS). Vectors are term counts (documents: tf; queries: query term counts);
 * the exact search (exact-search.ts `bm25Search`) builds a BM25 segment of the index over the corpus
 * (impacts with Lucene's quantized document lengths, index/bm25.ts) and weighs each query term by count·idf
 * from the corpus' document frequencies, as Anserini's bag-of-words query does. So sparsity statistics
 * describe token counts.
 * `maxActiveDims` does not apply to BM25 and is refused rather than ignored.
 */
import { fileURLToPath } from "node:url";
import { BertTokenizer } from "../tokenizer/index.js";
import type { SparseVector } from "../sparse/vector.js";
import { termFrequencyVector, type Bm25Parameters } from "../index/bm25.js";
import { BM25_DEFAULTS } from "../index/defaults.js";
import type { TopKSearch } from "../eval/encoded-evaluation.js";
import { SpladeError } from "../util/errors.js";
import type { EncodeTextsOptions, EvaluationModel } from "./evaluate.js";
import { bm25Search } from "./exact-search.js";

/** The bert-base-uncased vocabulary shipped with the package (assets/, a copy of shared/vocab). */
export const DEFAULT_BM25_VOCAB = fileURLToPath(new URL("../../assets/bert-base-uncased-vocab.txt", import.meta.url));

export interface Bm25ModelOptions {
  /** WordPiece vocabulary (vocab.txt); default the packaged bert-base-uncased one. */
  readonly vocabPath?: string;
  readonly parameters?: Bm25Parameters;
}

export function bm25EvaluationModel(options: Bm25ModelOptions = {}): EvaluationModel {
  const tokenizer = BertTokenizer.fromVocabFile(options.vocabPath ?? DEFAULT_BM25_VOCAB);
  const parameters = options.parameters ?? BM25_DEFAULTS;
  const encode = async (texts: readonly string[], opts: EncodeTextsOptions): Promise<SparseVector[]> => {
    if (opts.maxActiveDims !== undefined) {
      throw new SpladeError("INVALID_ARGUMENT", "max active dims applies to SPLADE models, not to bm25 (term counts)");
    }
    const out: SparseVector[] = [];
    for (let start = 0; start < texts.length; start += opts.batchSize) {
      for (const text of texts.slice(start, start + opts.batchSize)) out.push(termFrequencyVector(tokenizer.tokenizeToIds(text)));
      opts.onProgress?.(out.length, texts.length);
    }
    return out;
  };
  const exactSearch = (corpus: readonly SparseVector[]): TopKSearch => bm25Search(corpus, parameters);
  return { vocabSize: tokenizer.vocabSize, encodeQueries: encode, encodeDocuments: encode, exactSearch };
}
