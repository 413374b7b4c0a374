/**
 * Precision@k: relevant documents among the first k results, divided by k, even when fewer than k documents
 * were retrieved. Binary relevance (grade > 0). Same in both conventions: sentence-transformers'
 * InformationRetrievalEvaluator (`num_correct / k_val`) and trec_eval's `P_k`.
 */
import { isRelevant, type Judgments } from "../judgments.js";

export function precisionAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
  const end = Math.min(k, ranked.length);
  let hits = 0;
  for (let i = 0; i < end; i++) if (isRelevant(judgments, ranked[i])) hits++;
  return hits / k;
}
