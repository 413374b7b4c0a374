/**
 * Evaluation of one dataset from its encoded vectors: retrieve the top-k documents of every evaluated query
 * with an exact search, then compute the retrieval metrics (ir-metrics.ts) and the sparsity statistics
 * (sparsity.ts), as sentence-transformers' SparseInformationRetrievalEvaluator does for one dataset.
 *
 * Order of results: the search returns hits by score descending, ties in corpus order (the index's exact
 * search contract, equal to brute force). With "st" conventions that order is used as is; with "trec" the
 * retrieved lists are re-ordered as trec_eval would re-order a run file of them (see ranking.ts), so the
 * numbers equal trec_eval's on the run we would write. Depth k is the largest cut-off of any metric.
 * Only documents scoring > 0 are retrieved (one sharing no active dimension with the query is not a hit, as in
 * Lucene/Anserini); upstream's dense torch.topk would pad short lists with zero-score documents in an
 * unspecified order, which no metric should depend on.
 * Dimensions: Q evaluated queries, N corpus documents, K depth, V vocabulary.
 */
import type { SparseVector } from "../sparse/vector.js";
import { SpladeError } from "../util/errors.js";
import type { Qrels } from "./judgments.js";
import { maxCutoff, type MetricCutoffs } from "./defaults.js";
import type { Conventions, MetricValues } from "./ir-metrics.js";
import { evaluateRun } from "./run-evaluation.js";
import type { ScoredDoc } from "./ranking.js";
import { sparsityCounts, sparsityStats, type SparsityCounts, type SparsityStats } from "./sparsity.js";

export interface SearchHit {
  /** Position of the document in the corpus. */
  readonly doc: number;
  readonly score: number;
}

/** Exact top-k search over a fixed corpus: per query, hits scoring > 0 by score descending, ties by corpus order. */
export type TopKSearch = (queries: readonly SparseVector[], k: number) => ReadonlyArray<ReadonlyArray<SearchHit>>;

export interface EncodedDataset {
  readonly name: string;
  /** Evaluated queries only (dataset.ts `evaluatedQueries`), parallel to `queryVectors`. [Q] */
  readonly queryIds: readonly string[];
  readonly queryVectors: readonly SparseVector[];
  /** The whole corpus, in corpus order, parallel to `corpusVectors`. [N] */
  readonly corpusIds: readonly string[];
  readonly corpusVectors: readonly SparseVector[];
  readonly qrels: Qrels;
}

export interface EncodedEvaluationOptions {
  readonly conventions: Conventions;
  readonly cutoffs: MetricCutoffs;
  /** Dimension of the vectors (the sparsity ratio divides by it). */
  readonly vocabSize: number;
}

/** One column of the card's table. */
export interface DatasetResult {
  readonly name: string;
  /** Evaluated queries and corpus size. */
  readonly queryCount: number;
  readonly corpusCount: number;
  /** Retrieval metrics, keys `<metric>@<k>`. */
  readonly metrics: MetricValues;
  readonly sparsity: SparsityStats;
  /** Pooled into the NanoBEIR mean's sparsity statistics. */
  readonly sparsityCounts: { readonly query: SparsityCounts; readonly corpus: SparsityCounts };
}

export function evaluateEncoded(dataset: EncodedDataset, search: TopKSearch, options: EncodedEvaluationOptions): DatasetResult {
  const { queryIds, queryVectors, corpusIds, corpusVectors } = dataset;
  if (queryIds.length !== queryVectors.length || corpusIds.length !== corpusVectors.length) {
    throw new SpladeError("INVALID_ARGUMENT", `${dataset.name}: ids and vectors differ in length`);
  }
  const hits = search(queryVectors, maxCutoff(options.cutoffs)); // [Q][≤K]
  if (hits.length !== queryVectors.length) {
    throw new SpladeError("INVALID_ARGUMENT", `${dataset.name}: search answered ${hits.length} of ${queryVectors.length} queries`);
  }
  const run = new Map<string, ScoredDoc[]>();
  queryIds.forEach((queryId, q) => {
    run.set(queryId, hits[q].map((hit) => ({ docId: corpusIds[hit.doc], score: hit.score })));
  });
  const evaluation = evaluateRun(run, dataset.qrels, {
    conventions: options.conventions,
    cutoffs: options.cutoffs,
    queryIds: new Set(queryIds),
  });
  const query = sparsityCounts(queryVectors, options.vocabSize);
  const corpus = sparsityCounts(corpusVectors, options.vocabSize);
  return {
    name: dataset.name,
    queryCount: evaluation.queryIds.length,
    corpusCount: corpusIds.length,
    metrics: evaluation.metrics,
    sparsity: sparsityStats(query, corpus),
    sparsityCounts: { query, corpus },
  };
}
