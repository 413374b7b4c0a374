/**
 * Recall@k: relevant documents among the first k results, divided by |R|, the number of relevant documents
 * in the qrels (relevant documents missing from the corpus still count in |R|, so recall can stay below 1).
 * Binary relevance (grade > 0). Same in both conventions: sentence-transformers'
 * InformationRetrievalEvaluator (`num_correct / len(query_relevant_docs)`) and trec_eval's `recall_k`.
 * |R| = 0 gives 0 (such queries are dropped before averaging, see ir-metrics.ts).
 */
import { isRelevant, relevantCount, type Judgments } from "../judgments.js";

export function recallAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
  const relevant = relevantCount(judgments);
  if (relevant === 0) return 0;
  const end = Math.min(k, ranked.length);
  let hits = 0;
  for (let i = 0; i < end; i++) if (isRelevant(judgments, ranked[i])) hits++;
  return hits / relevant;
}
