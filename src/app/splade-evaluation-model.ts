/**
 * A SPLADE model (local folder or Hub id) as an EvaluationModel (evaluate.ts): queries through
 * `encodeQuery` and documents through `encodeDocument` (each with its prompt, as upstream's evaluator calls
 * `encode_query` / `encode_document`), retrieval by dot product with the index's exact search
 * (exact-search.ts). Reports name the score function "dot", so a model whose similarity is not the dot
 * product is refused rather than silently scored differently from upstream.
 */
import { SparseEncoder, type FromPretrainedOptions } from "../encoder/index.js";
import { SpladeError } from "../util/errors.js";
import type { EncodeTextsOptions, EvaluationModel } from "./evaluate.js";
import { dotProductSearch } from "./exact-search.js";

function encodeOptions(options: EncodeTextsOptions) {
  return {
    batchSize: options.batchSize,
    ...(options.maxActiveDims !== undefined ? { maxActiveDims: options.maxActiveDims } : {}),
    ...(options.onProgress !== undefined ? { onProgress: ({ done, total }: { done: number; total: number }) => options.onProgress!(done, total) } : {}),
  };
}

export async function spladeEvaluationModel(idOrPath: string, options: FromPretrainedOptions = {}): Promise<EvaluationModel> {
  const encoder = await SparseEncoder.fromPretrained(idOrPath, options);
  const similarity = encoder.folder.similarityFnName;
  if (similarity !== "dot") {
    await encoder.release();
    throw new SpladeError("UNSUPPORTED", `model ${idOrPath} uses ${similarity} similarity; evaluation retrieves by dot product (SPLADE)`);
  }
  return {
    vocabSize: encoder.vocabSize,
    encodeQueries: (texts, o) => encoder.encodeQuery(texts, encodeOptions(o)),
    encodeDocuments: (texts, o) => encoder.encodeDocument(texts, encodeOptions(o)),
    exactSearch: dotProductSearch,
    release: () => encoder.release(),
  };
}
