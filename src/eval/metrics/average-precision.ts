/**
 * Average precision cut at k (MAP@k once averaged): Σ over relevant documents at ranks r ≤ k of
 * precision@r, divided by a normaliser that differs between the two conventions:
 * - "min-k-relevant" (sentence-transformers' InformationRetrievalEvaluator `map@k`): min(k, |R|), so a
 *   query with more relevant documents than k can still reach 1.
 * - "all-relevant" (trec_eval's `map_cut_k`): |R|, all relevant documents of the qrels.
 * Binary relevance (grade > 0); |R| counts relevant documents missing from the corpus too. |R| = 0 gives 0.
 */
import { isRelevant, relevantCount, type Judgments } from "../judgments.js";

export type AveragePrecisionNormalizer = "min-k-relevant" | "all-relevant";

export function averagePrecisionAtK(
  ranked: readonly string[],
  judgments: Judgments,
  k: number,
  normalizer: AveragePrecisionNormalizer,
): number {
  const relevant = relevantCount(judgments);
  if (relevant === 0) return 0;
  const end = Math.min(k, ranked.length);
  let hits = 0;
  let sumPrecisions = 0;
  for (let i = 0; i < end; i++) {
    if (isRelevant(judgments, ranked[i])) {
      hits++;
      sumPrecisions += hits / (i + 1);
    }
  }
  return sumPrecisions / (normalizer === "min-k-relevant" ? Math.min(k, relevant) : relevant);
}
