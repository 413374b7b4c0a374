/**
 * Accuracy@k (a.k.a. success@k, hit rate): 1 if at least one relevant document is among the first k
 * results, else 0. Binary relevance (grade > 0). Same in both conventions: sentence-transformers'
 * InformationRetrievalEvaluator `accuracy@k`, trec_eval's `success_k`.
 */
import { isRelevant, type Judgments } from "../judgments.js";

export function accuracyAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
  const end = Math.min(k, ranked.length);
  for (let i = 0; i < end; i++) if (isRelevant(judgments, ranked[i])) return 1;
  return 0;
}
