/**
 * A SPLADE model (folder or Hub id) as a DocumentEncoder, through encoder/SparseEncoder: documents with
 * `encodeDocument`, queries with `encodeQuery` (each with the model's prompts, as sentence-transformers'
 * `encode_document` / `encode_query`, which upstream's evaluator calls too). The index and evaluation's exact
 * search score by dot product (and reports name the score function "dot"), so a model whose similarity is
 * not "dot" is refused rather than silently scored differently from upstream.
 */
import { SparseEncoder, type FromPretrainedOptions } from "../encoder/index.js";
import { SpladeError } from "../util/errors.js";
import type { DocumentEncoder, EncodeTextsOptions } from "./document-encoder.js";

function encodeOptions(options: EncodeTextsOptions) {
  return {
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.maxActiveDims !== undefined ? { maxActiveDims: options.maxActiveDims } : {}),
    ...(options.onProgress !== undefined ? { onProgress: ({ done, total }: { done: number; total: number }) => options.onProgress!(done, total) } : {}),
  };
}

export async function createSpladeEncoder(idOrPath: string, options: FromPretrainedOptions = {}): Promise<DocumentEncoder> {
  const encoder = await SparseEncoder.fromPretrained(idOrPath, options);
  if (encoder.similarityFnName !== "dot") {
    await encoder.release();
    throw new SpladeError("UNSUPPORTED", `model ${idOrPath} uses ${encoder.similarityFnName} similarity; the index and evaluation score by dot product`);
  }
  return {
    kind: "splade",
    record: { kind: "splade", model: idOrPath },
    indexSettings: {},
    vocabSize: encoder.vocabSize,
    encodeDocuments: (texts, o = {}) => encoder.encodeDocument([...texts], encodeOptions(o)),
    encodeQueries: (texts, o = {}) => encoder.encodeQuery([...texts], encodeOptions(o)),
    release: () => encoder.release(),
  };
}
