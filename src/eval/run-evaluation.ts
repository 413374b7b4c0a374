/**
 * Metrics of a run (query id → scored documents) against qrels: the `splade eval-run` use case, and the last
 * step of in-process evaluation. Orders each query's documents by score with the conventions' tie-break
 * ("st": input order, i.e. corpus order or file order; "trec": trec_eval's), then averages the metrics
 * over the evaluated queries (see ir-metrics.ts for which queries count).
 */
import type { Qrels } from "./judgments.js";
import { RUN_CUTOFFS, type MetricCutoffs } from "./defaults.js";
import { evaluateRankings, type Conventions, type RankingEvaluation } from "./ir-metrics.js";
import { rankByScore, type ScoredDoc, type TieBreak } from "./ranking.js";

export interface RunEvaluationOptions {
  readonly conventions: Conventions;
  /** Default RUN_CUTOFFS (card metrics plus recall@100, recall@1000). */
  readonly cutoffs?: MetricCutoffs;
  /** Default: "input-order" for "st", "trec_eval" for "trec". */
  readonly tieBreak?: TieBreak;
  /** Evaluate only these queries (e.g. those with a text); default every query of the qrels. */
  readonly queryIds?: ReadonlySet<string>;
}

export function evaluateRun(
  run: ReadonlyMap<string, readonly ScoredDoc[]>,
  qrels: Qrels,
  options: RunEvaluationOptions,
): RankingEvaluation {
  const tieBreak = options.tieBreak ?? (options.conventions === "trec" ? "trec_eval" : "input-order");
  const rankings = new Map<string, string[]>();
  for (const [queryId, docs] of run) if (qrels.has(queryId)) rankings.set(queryId, rankByScore(docs, tieBreak));
  return evaluateRankings(rankings, qrels, {
    conventions: options.conventions,
    cutoffs: options.cutoffs ?? RUN_CUTOFFS,
    ...(options.queryIds === undefined ? {} : { queryIds: options.queryIds }),
  });
}
