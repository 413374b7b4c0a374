/**
 * Use case `splade eval`: evaluate one model on one or more retrieval datasets, as sentence-transformers'
 * SparseInformationRetrievalEvaluator (one dataset) and SparseNanoBEIREvaluator (several, plus their mean)
 * do. Per dataset: load it, encode the evaluated queries and the whole corpus, retrieve with the exact search
 * (equal to brute force; or the index's approximate search, on request), compute metrics and sparsity (src/eval/), then drop the vectors before the next
 * dataset. Datasets are loaded lazily so NanoBEIR downloads and memory go one dataset at a time.
 *
 * Naming as upstream: with maxActiveDims set, NanoBEIR names get the suffix `_{maxActiveDims}`
 * (`NanoMSMARCO_64`, `NanoBEIR_mean_64`; SparseNanoBEIREvaluator `_get_human_readable_name`).
 * Cut-offs: "st" → the card's rows; "trec" → the card's rows plus recall@100/1000 (eval/defaults.ts).
 */
import type { SparseVector } from "../sparse/vector.js";
import { evaluatedQueries, type RetrievalDataset } from "../eval/dataset.js";
import { DEFAULT_BATCH_SIZE, RUN_CUTOFFS, ST_CUTOFFS, type MetricCutoffs } from "../eval/defaults.js";
import { evaluateEncoded, type DatasetResult, type TopKSearch } from "../eval/encoded-evaluation.js";
import type { Conventions } from "../eval/ir-metrics.js";
import { NANOBEIR_MEAN_NAME, nanoBeirMean } from "../eval/nanobeir-mean.js";
import { SpladeError } from "../util/errors.js";
import type { EncodeTextsOptions } from "./document-encoder.js";
import type { ApproximateSearchOptions } from "../index/approximate-search.js";

/**
 * What evaluation needs from a model: a DocumentEncoder's two sides (document-encoder.ts) and the exact search
 * over its vectors. evaluation-model.ts makes one from any DocumentEncoder; tests pass toys.
 */
export interface EvaluationModel {
  /** Dimension of the vectors (vocabulary size). */
  readonly vocabSize: number;
  /** The score its exact search computes, naming the metrics ("dot"; "cosine" for models that score by cosine). */
  readonly scoreFunction?: "dot" | "cosine";
  encodeQueries(texts: readonly string[], options: EncodeTextsOptions): Promise<SparseVector[]>;
  encodeDocuments(texts: readonly string[], options: EncodeTextsOptions): Promise<SparseVector[]>;
  /** Exact top-k over `corpus` (hits scoring > 0, score descending, ties by corpus order). */
  exactSearch(corpus: readonly SparseVector[]): TopKSearch;
  /** The index's approximate search over `corpus` (true: default knobs); needed for `approximate`. */
  approximateSearch?(corpus: readonly SparseVector[], knobs: true | Partial<ApproximateSearchOptions>): TopKSearch;
  /** Frees what the model holds (an onnxruntime session); the caller calls it when done. */
  release?(): Promise<void>;
}

export type EvaluationPhase = "load" | "encode-queries" | "encode-corpus" | "search";

export interface EvaluationProgress {
  /** Position of the dataset (0-based) among `datasetCount`. */
  readonly datasetIndex: number;
  readonly datasetCount: number;
  readonly phase: EvaluationPhase;
  readonly done: number;
  readonly total: number;
}

export interface EvaluateOptions {
  readonly model: EvaluationModel;
  /** Loaders, called one after the other. */
  readonly datasets: ReadonlyArray<() => Promise<RetrievalDataset>>;
  readonly conventions: Conventions;
  /** Default by conventions (see header). */
  readonly cutoffs?: MetricCutoffs;
  /** Default 32 (upstream's evaluator batch size). */
  readonly batchSize?: number;
  readonly maxActiveDims?: number;
  /** Add the NanoBEIR mean column (and the `_{maxActiveDims}` name suffix). */
  readonly nanoBeir?: boolean;
  /** Retrieve with the approximate search (true: default knobs) instead of the exact one. */
  readonly approximate?: true | Partial<ApproximateSearchOptions>;
  readonly onProgress?: (progress: EvaluationProgress) => void;
}

export function defaultCutoffs(conventions: Conventions): MetricCutoffs {
  return conventions === "st" ? ST_CUTOFFS : RUN_CUTOFFS;
}

/** Per-dataset columns, then the NanoBEIR mean when asked for and there are at least two datasets. */
export async function evaluateModel(options: EvaluateOptions): Promise<DatasetResult[]> {
  const { model, conventions } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new SpladeError("INVALID_ARGUMENT", `batch size must be a positive integer, got ${batchSize}`);
  const maxActiveDims = options.maxActiveDims;
  if (maxActiveDims !== undefined && (!Number.isInteger(maxActiveDims) || maxActiveDims < 1)) {
    throw new SpladeError("INVALID_ARGUMENT", `max active dims must be a positive integer, got ${maxActiveDims}`);
  }
  if (options.datasets.length === 0) throw new SpladeError("INVALID_ARGUMENT", "no dataset to evaluate");
  const approximate = options.approximate;
  if (approximate !== undefined && model.approximateSearch === undefined) throw new SpladeError("UNSUPPORTED", "this evaluation model has no approximate search");
  const search = (corpus: readonly SparseVector[]) => (approximate !== undefined ? model.approximateSearch!(corpus, approximate) : model.exactSearch(corpus));
  const cutoffs = options.cutoffs ?? defaultCutoffs(conventions);
  const suffix = options.nanoBeir && maxActiveDims !== undefined ? `_${maxActiveDims}` : "";
  const datasetCount = options.datasets.length;
  const results: DatasetResult[] = [];
  for (let datasetIndex = 0; datasetIndex < datasetCount; datasetIndex++) {
    const report = (phase: EvaluationPhase, done: number, total: number) =>
      options.onProgress?.({ datasetIndex, datasetCount, phase, done, total });
    report("load", 0, 1);
    const dataset = await options.datasets[datasetIndex]();
    report("load", 1, 1);
    const queries = evaluatedQueries(dataset);
    const encode = (phase: EvaluationPhase) => ({
      batchSize,
      ...(maxActiveDims !== undefined ? { maxActiveDims } : {}),
      onProgress: (done: number, total: number) => report(phase, done, total),
    });
    const queryVectors = await model.encodeQueries(queries.texts, encode("encode-queries"));
    const corpusVectors = await model.encodeDocuments(dataset.corpus.texts, encode("encode-corpus"));
    report("search", 0, queries.ids.length);
    const result = evaluateEncoded(
      {
        name: dataset.name + suffix,
        queryIds: queries.ids,
        queryVectors,
        corpusIds: dataset.corpus.ids,
        corpusVectors,
        qrels: dataset.qrels,
      },
      search(corpusVectors),
      { conventions, cutoffs, vocabSize: model.vocabSize },
    );
    report("search", queries.ids.length, queries.ids.length);
    results.push(result);
  }
  if (options.nanoBeir && results.length > 1) results.push(nanoBeirMean(results, NANOBEIR_MEAN_NAME + suffix));
  return results;
}
