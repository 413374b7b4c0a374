/**
 * A retrieval dataset in memory, whatever its source (a BEIR folder, a NanoBEIR repository on the Hub):
 * corpus and queries as parallel id/text arrays in file order, and qrels. Corpus order is the tie-break
 * order of retrieval (see ranking.ts).
 */
import type { Qrels } from "./judgments.js";
import { relevantCount } from "./judgments.js";

export interface TextCollection {
  readonly ids: readonly string[];
  readonly texts: readonly string[];
}

export interface RetrievalDataset {
  /** Name used as the metric-key prefix and report column (e.g. "NanoMSMARCO", "scifact"). */
  readonly name: string;
  readonly corpus: TextCollection;
  readonly queries: TextCollection;
  readonly qrels: Qrels;
}

/**
 * The queries that are evaluated, in query-file order: those with at least one relevant document in the
 * qrels (sentence-transformers' InformationRetrievalEvaluator keeps `qid in relevant_docs and
 * len(relevant_docs[qid]) > 0`; BEIR's loader keeps the queries of the split's qrels).
 */
export function evaluatedQueries(dataset: RetrievalDataset): TextCollection {
  const ids: string[] = [];
  const texts: string[] = [];
  dataset.queries.ids.forEach((id, i) => {
    const judgments = dataset.qrels.get(id);
    if (judgments !== undefined && relevantCount(judgments) > 0) {
      ids.push(id);
      texts.push(dataset.queries.texts[i]);
    }
  });
  return { ids, texts };
}
