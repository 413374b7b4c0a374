/**
 * Relevance judgments (qrels) as the metrics see them: per query, a map from corpus id to a graded relevance.
 * Ids are strings, as in BEIR (`query-id`, `corpus-id`) and TREC qrels. A judgment of 0 (or below) means
 * "judged, not relevant": binary metrics count a document as relevant iff its relevance is > 0, as
 * sentence-transformers' InformationRetrievalEvaluator does with the sets it builds from BEIR qrels and as
 * trec_eval does with its default `relevance_level` of 1 for integer grades.
 */

/** corpus id → relevance grade, for one query. */
export type Judgments = ReadonlyMap<string, number>;

/** query id → judgments. */
export type Qrels = ReadonlyMap<string, Judgments>;

export function isRelevant(judgments: Judgments, docId: string): boolean {
  return (judgments.get(docId) ?? 0) > 0;
}

/** |R|: the number of relevant documents, counted from the qrels (whether or not they are in the corpus). */
export function relevantCount(judgments: Judgments): number {
  let n = 0;
  for (const grade of judgments.values()) if (grade > 0) n++;
  return n;
}
