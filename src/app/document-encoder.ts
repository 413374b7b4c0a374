/**
 * DocumentEncoder: the one model abstraction of the app layer — texts to sparse vectors, for documents and
 * for queries — used by `splade index`, `splade search` and `splade eval` (through evaluation-model.ts, which
 * adds the exact search over its vectors), and the record of it an index stores so that search finds the
 * same model again. Two kinds:
 *  - "bm25": BERT WordPiece term counts (bm25-encoder.ts); the index turns them into BM25 weights
 *    (index/bm25.ts), so `indexSettings` asks for BM25 weighting;
 *  - "splade": a SPLADE model folder or Hub id through encoder/SparseEncoder (splade-document-encoder.ts).
 * createEncoder (encoders.ts) picks one from a model spec ("bm25", a folder, a Hub id) or from an index's
 * model record.
 */
import type { SparseVector } from "../sparse/vector.js";
import type { IndexSettings } from "../index/manifest.js";
import { SpladeError } from "../util/errors.js";

export interface EncodeTextsOptions {
  /** SPLADE: texts per forward pass (encoder default when absent); BM25: texts between progress reports. */
  readonly batchSize?: number;
  /** SPLADE: keep only the n largest weights of every vector. BM25 refuses it (term counts, no pruning). */
  readonly maxActiveDims?: number;
  /** Texts encoded so far out of this call's total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DocumentEncoder {
  readonly kind: "bm25" | "splade";
  /** Stored in the index manifest (JSON); `encoderFromRecord` reopens the encoder from it. */
  readonly record: ModelRecord;
  /** Index settings the encoder's vectors need (BM25: weighting with k1, b). */
  readonly indexSettings: Partial<IndexSettings>;
  /** Dimension of the vectors (vocabulary size): evaluation's sparsity ratio. */
  readonly vocabSize: number;
  /**
   * What the dot product of its vectors scores: "dot" (default), or "cosine" for a model whose
   * similarity_fn_name is cosine (its vectors come L2-normalized, so dot product = cosine).
   */
  readonly scoreFunction?: "dot" | "cosine";
  /**
   * Names of the vector's dimensions, both ways, with their count: term id ↔ token string (explain and the
   * service name terms by it; engines key OpenSearch features by it); for a CSR model, whose dimensions are
   * latent and not tokens, the dimension numbers themselves.
   */
  readonly tokenLookup: TokenLookup;
  /**
   * Term ids of a text's own tokens (no prompt, no special tokens): explain marks a query term that is not
   * among them as an expansion. Absent where the dimensions are not tokens (CSR).
   */
  textTokenIds?(text: string): number[];
  encodeDocuments(texts: readonly string[], options?: EncodeTextsOptions): Promise<SparseVector[]>;
  encodeQueries(texts: readonly string[], options?: EncodeTextsOptions): Promise<SparseVector[]>;
  release(): Promise<void>;
}

export interface TokenLookup {
  readonly vocabSize: number;
  idToToken(id: number): string;
  tokenToId(token: string): number | undefined;
}

export type ModelRecord =
  | { readonly kind: "bm25"; readonly vocab: string; readonly k1: number; readonly b: number }
  | { readonly kind: "splade"; readonly model: string };

export function parseModelRecord(record: unknown, where: string): ModelRecord {
  const r = record as Record<string, unknown> | null;
  if (r?.kind === "bm25" && typeof r.vocab === "string" && typeof r.k1 === "number" && typeof r.b === "number") {
    return { kind: "bm25", vocab: r.vocab, k1: r.k1, b: r.b };
  }
  if (r?.kind === "splade" && typeof r.model === "string") return { kind: "splade", model: r.model };
  throw new SpladeError("INVALID_FILE", `${where}: the index does not record a model this version knows (pass --model)`);
}
