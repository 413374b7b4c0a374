/**
 * The retrieval metrics of one evaluation: per query from a ranked list, then the mean over evaluated queries.
 *
 * Conventions ("st" | "trec") only change two metrics (see each metric's file header):
 * - ndcg@k: "st" binary gains, ideal DCG of |R| ones cut at k (sentence-transformers); "trec" graded gains
 *   (trec_eval `ndcg_cut`).
 * - map@k: "st" divides by min(k, |R|) (sentence-transformers); "trec" divides by |R| (trec_eval `map_cut`).
 * accuracy@k, precision@k (÷ k), recall@k (÷ |R|) and mrr@k are the same in both.
 *
 * Which queries count: those of the qrels with at least one relevant document (grade > 0), as
 * sentence-transformers keeps only `qid in relevant_docs and len(relevant_docs[qid]) > 0`; optionally
 * restricted to `queryIds` (the queries that have a text). An evaluated query without a ranking (an empty
 * or missing run) scores 0 on every metric and still counts in the mean (trec_eval's `-c`), so that dropping
 * hard queries from a run never raises its score. Keys are `<metric>@<k>` in the card's row order:
 * accuracy, precision, recall, ndcg, mrr, map.
 */
import { SpladeError } from "../util/errors.js";
import { relevantCount, type Judgments, type Qrels } from "./judgments.js";
import type { MetricCutoffs } from "./defaults.js";
import { accuracyAtK } from "./metrics/accuracy.js";
import { precisionAtK } from "./metrics/precision.js";
import { recallAtK } from "./metrics/recall.js";
import { ndcgAtK } from "./metrics/ndcg.js";
import { reciprocalRankAtK } from "./metrics/mrr.js";
import { averagePrecisionAtK } from "./metrics/average-precision.js";

export type Conventions = "st" | "trec";

export interface MetricOptions {
  readonly conventions: Conventions;
  readonly cutoffs: MetricCutoffs;
}

/** Metric name → value, in the card's row order. */
export type MetricValues = Record<string, number>;

export interface RankingEvaluation {
  /** Mean of each metric over the evaluated queries. */
  readonly metrics: MetricValues;
  /** The evaluated queries, in qrels order. */
  readonly queryIds: readonly string[];
  /** Per-query values, same keys as `metrics`. */
  readonly perQuery: ReadonlyMap<string, MetricValues>;
}

/** The metric keys produced for `cutoffs`, in order. */
export function metricNames(cutoffs: MetricCutoffs): string[] {
  return [
    ...cutoffs.accuracyAtK.map((k) => `accuracy@${k}`),
    ...cutoffs.precisionAtK.map((k) => `precision@${k}`),
    ...cutoffs.recallAtK.map((k) => `recall@${k}`),
    ...cutoffs.ndcgAtK.map((k) => `ndcg@${k}`),
    ...cutoffs.mrrAtK.map((k) => `mrr@${k}`),
    ...cutoffs.mapAtK.map((k) => `map@${k}`),
  ];
}

/** Every metric for one query. */
export function queryMetrics(ranked: readonly string[], judgments: Judgments, options: MetricOptions): MetricValues {
  const { cutoffs, conventions } = options;
  const out: MetricValues = {};
  for (const k of cutoffs.accuracyAtK) out[`accuracy@${k}`] = accuracyAtK(ranked, judgments, k);
  for (const k of cutoffs.precisionAtK) out[`precision@${k}`] = precisionAtK(ranked, judgments, k);
  for (const k of cutoffs.recallAtK) out[`recall@${k}`] = recallAtK(ranked, judgments, k);
  const gains = conventions === "st" ? "binary" : "graded";
  for (const k of cutoffs.ndcgAtK) out[`ndcg@${k}`] = ndcgAtK(ranked, judgments, k, gains);
  for (const k of cutoffs.mrrAtK) out[`mrr@${k}`] = reciprocalRankAtK(ranked, judgments, k);
  const normalizer = conventions === "st" ? "min-k-relevant" : "all-relevant";
  for (const k of cutoffs.mapAtK) out[`map@${k}`] = averagePrecisionAtK(ranked, judgments, k, normalizer);
  return out;
}

function checkCutoffs(cutoffs: MetricCutoffs): void {
  for (const [family, ks] of Object.entries(cutoffs)) {
    for (const k of ks as readonly number[]) {
      if (!Number.isInteger(k) || k < 1) {
        throw new SpladeError("INVALID_ARGUMENT", `metric cut-off ${family} must hold positive integers, got ${k}`);
      }
    }
  }
}

/**
 * Mean metrics of `rankings` (query id → ranked corpus ids, best first) against `qrels`.
 * Throws INVALID_ARGUMENT when no query can be evaluated (nothing to average).
 */
export function evaluateRankings(
  rankings: ReadonlyMap<string, readonly string[]>,
  qrels: Qrels,
  options: MetricOptions & { readonly queryIds?: ReadonlySet<string> },
): RankingEvaluation {
  checkCutoffs(options.cutoffs);
  const names = metricNames(options.cutoffs);
  const sums = new Float64Array(names.length);
  const perQuery = new Map<string, MetricValues>();
  const queryIds: string[] = [];
  for (const [queryId, judgments] of qrels) {
    if (relevantCount(judgments) === 0) continue;
    if (options.queryIds !== undefined && !options.queryIds.has(queryId)) continue;
    const values = queryMetrics(rankings.get(queryId) ?? [], judgments, options);
    names.forEach((name, i) => (sums[i] += values[name]));
    perQuery.set(queryId, values);
    queryIds.push(queryId);
  }
  if (queryIds.length === 0) {
    throw new SpladeError("INVALID_ARGUMENT", "no query to evaluate: no query has a relevant document in the qrels");
  }
  const metrics: MetricValues = {};
  names.forEach((name, i) => (metrics[name] = sums[i] / queryIds.length));
  return { metrics, queryIds, perQuery };
}
