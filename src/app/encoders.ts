/**
 * Choosing a DocumentEncoder: from a model spec given on the command line ("bm25", a SPLADE folder or a
 * Hub id) or from the model record an index stores (document-encoder.ts). "bm25" is matched in any case
 * (`--model BM25`), as `splade eval` always accepted it.
 */
import type { Bm25Parameters } from "../index/bm25.js";
import type { FromPretrainedOptions } from "../encoder/index.js";
import { createBm25Encoder } from "./bm25-encoder.js";
import { createSpladeEncoder } from "./splade-document-encoder.js";
import type { DocumentEncoder, ModelRecord } from "./document-encoder.js";

export interface EncoderOptions {
  /** BM25 parameters (only for "bm25"). */
  readonly bm25?: Partial<Bm25Parameters>;
  /** SPLADE loading options (threads, offline, cache…). */
  readonly splade?: FromPretrainedOptions;
}

export async function createEncoder(spec: string, options: EncoderOptions = {}): Promise<DocumentEncoder> {
  if (spec.toLowerCase() === "bm25") return createBm25Encoder({ parameters: options.bm25 });
  return createSpladeEncoder(spec, options.splade);
}

export async function encoderFromRecord(record: ModelRecord, options: EncoderOptions = {}): Promise<DocumentEncoder> {
  if (record.kind === "bm25") return createBm25Encoder({ vocab: record.vocab, parameters: { k1: record.k1, b: record.b } });
  return createSpladeEncoder(record.model, options.splade);
}
