/**
 * A DocumentEncoder (document-encoder.ts) as the EvaluationModel that `splade eval`, the training evaluator
 * and negative mining retrieve with: its encoders plus the exact search for the weighting its index settings
 * ask for (exact-search.ts: BM25 impacts for "bm25", dot product for SPLADE). `openEvaluationModel` takes a
 * `--model` spec ("bm25", a SPLADE folder or a Hub id) as `createEncoder` does (encoders.ts).
 * Call `release()` when done (SPLADE models hold an onnxruntime session).
 */
import type { HubOptions } from "../hub/index.js";
import type { Bm25Parameters } from "../index/bm25.js";
import type { DocumentEncoder } from "./document-encoder.js";
import { createEncoder } from "./encoders.js";
import type { EvaluationModel } from "./evaluate.js";
import { corpusSearch, exactSearch } from "./exact-search.js";

export interface OpenEvaluationModelOptions {
  readonly hub?: HubOptions;
  /** BM25 parameters (only for "bm25"); default Lucene's k1 0.9, b 0.4 (index/defaults.ts). */
  readonly bm25?: Partial<Bm25Parameters>;
}

export function evaluationModel(encoder: DocumentEncoder): EvaluationModel {
  return {
    vocabSize: encoder.vocabSize,
    scoreFunction: encoder.scoreFunction ?? "dot",
    encodeQueries: (texts, options) => encoder.encodeQueries(texts, options),
    encodeDocuments: (texts, options) => encoder.encodeDocuments(texts, options),
    exactSearch: (corpus) => exactSearch(corpus, encoder.indexSettings.weighting),
    approximateSearch: (corpus, knobs) => corpusSearch(corpus, encoder.indexSettings.weighting, knobs),
    release: () => encoder.release(),
  };
}

export async function openEvaluationModel(spec: string, options: OpenEvaluationModelOptions = {}): Promise<EvaluationModel> {
  return evaluationModel(await createEncoder(spec, { bm25: options.bm25, splade: options.hub ?? {} }));
}
