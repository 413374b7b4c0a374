/**
 * nDCG@k: DCG@k / ideal DCG@k, with DCG@k = Σ_{i=1..k} gain_i / log2(i + 1).
 *
 * Two conventions:
 * - "binary" (sentence-transformers' InformationRetrievalEvaluator): gain 1 for a relevant document
 *   (grade > 0), else 0; the ideal DCG is that of |R| ones, cut at k (`compute_dcg_at_k([1] * len(R), k)`).
 * - "graded" (trec_eval's `ndcg_cut_k`, which BEIR and Anserini report): the gain is the qrels grade itself
 *   (linear, not 2^grade − 1; grades ≤ 0 gain nothing); the ideal DCG sorts all positive grades of the
 *   query's qrels in descending order and cuts at k.
 * In both, the ideal ranking uses every relevant document of the qrels, including ones missing from the
 * corpus. A query without relevant documents scores 0.
 */
import type { Judgments } from "../judgments.js";

export type NdcgGains = "binary" | "graded";

function gainOf(judgments: Judgments, docId: string, gains: NdcgGains): number {
  const grade = judgments.get(docId) ?? 0;
  if (grade <= 0) return 0;
  return gains === "binary" ? 1 : grade;
}

/** Σ_{i<k} gains[i] / log2(i + 2), gains in rank order (0-based i). */
export function dcgAtK(gainsInRankOrder: readonly number[], k: number): number {
  const end = Math.min(k, gainsInRankOrder.length);
  let dcg = 0;
  for (let i = 0; i < end; i++) dcg += gainsInRankOrder[i] / Math.log2(i + 2);
  return dcg;
}

export function ndcgAtK(ranked: readonly string[], judgments: Judgments, k: number, gains: NdcgGains): number {
  const ideal: number[] = [];
  for (const grade of judgments.values()) if (grade > 0) ideal.push(gains === "binary" ? 1 : grade);
  ideal.sort((a, b) => b - a);
  const idealDcg = dcgAtK(ideal, k);
  if (idealDcg === 0) return 0;
  const actual = ranked.slice(0, k).map((docId) => gainOf(judgments, docId, gains));
  return dcgAtK(actual, k) / idealDcg;
}
