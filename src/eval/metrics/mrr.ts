/**
 * Reciprocal rank cut at k (MRR@k once averaged): 1 / rank of the first relevant document among the first k
 * results (ranks start at 1), 0 if none. Binary relevance (grade > 0). Same in both conventions:
 * sentence-transformers' InformationRetrievalEvaluator `mrr@k`; trec_eval's `recip_rank` on a run cut to
 * depth k (as BEIR and Anserini report MRR@10).
 */
import { isRelevant, type Judgments } from "../judgments.js";

export function reciprocalRankAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
  const end = Math.min(k, ranked.length);
  for (let i = 0; i < end; i++) if (isRelevant(judgments, ranked[i])) return 1 / (i + 1);
  return 0;
}
