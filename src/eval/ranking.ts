/**
 * From scored documents to a ranked list of ids, with a deterministic order for equal scores.
 *
 * Two tie-breaks:
 * - "input-order": score descending, then the order the documents came in. For in-process evaluation the
 *   input order is corpus order (the index's exact search breaks ties by insertion order), so this is the
 *   documented "score descending, then corpus order". For a run file it is the order of its lines.
 * - "trec_eval": what trec_eval does whatever the rank column says (form_res_rels.c, `comp_sim_docno`):
 *   score descending, then document id in *descending* strcmp order. trec_eval stores scores as C `float`,
 *   so scores are compared after rounding to float32 (two doubles that round to the same float tie there).
 *   Ids compare by UTF-16 code units, which equals strcmp's byte order for ASCII ids.
 */

export interface ScoredDoc {
  readonly docId: string;
  readonly score: number;
}

export type TieBreak = "input-order" | "trec_eval";

export function rankByScore(docs: readonly ScoredDoc[], tieBreak: TieBreak): string[] {
  const order = docs.map((_, i) => i);
  if (tieBreak === "input-order") {
    order.sort((a, b) => docs[b].score - docs[a].score || a - b);
  } else {
    order.sort((a, b) => {
      const sa = Math.fround(docs[a].score);
      const sb = Math.fround(docs[b].score);
      if (sa !== sb) return sb - sa;
      const ia = docs[a].docId;
      const ib = docs[b].docId;
      return ia < ib ? 1 : ia > ib ? -1 : 0;
    });
  }
  return order.map((i) => docs[i].docId);
}
