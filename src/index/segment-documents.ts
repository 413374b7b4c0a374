/**
 * Back from term-major postings to documents: the forward (document-major) view of a segment, used by
 * merges (rebuilding a segment from the live documents of several) and by the tests' brute-force oracle.
 * Terms come out ascending within each document because terms are visited in ascending order.
 * Values are the stored impacts (dequantized for u8 segments) or, for BM25 segments, optionally the raw
 * term frequencies. Shapes: N docs, P postings.
 */
import type { SparseVector } from "../sparse/vector.js";
import { u8ValueTable, type Segment } from "./segment.js";

export interface ForwardDocuments {
  readonly docStart: Float64Array; // [N+1]
  readonly terms: Uint32Array; // [P]
  readonly values: Float32Array; // [P]
}

export function forwardDocuments(segment: Segment, source: "impacts" | "termFrequencies" = "impacts"): ForwardDocuments {
  const N = segment.docCount;
  const P = segment.postingCount;
  const { termIds, termPairStart, pairBlock, pairPostingStart, postingDocOffset, blockShift } = segment;
  if (source === "termFrequencies" && segment.bm25 === null) throw new RangeError("forwardDocuments: not a BM25 segment");
  const count = new Float64Array(N + 1);
  for (let j = 0; j < pairBlock.length; j++) {
    const first = pairBlock[j] << blockShift;
    for (let p = pairPostingStart[j]; p < pairPostingStart[j + 1]; p++) count[first + postingDocOffset[p] + 1]++;
  }
  for (let d = 0; d < N; d++) count[d + 1] += count[d];
  const docStart = count;
  const cursor = docStart.slice(0, N);
  const terms = new Uint32Array(P);
  const values = new Float32Array(P);
  const u8Values = segment.impactKind === "u8" ? u8ValueTable(segment.impactScale) : null;
  const tf = source === "termFrequencies" ? segment.bm25!.termFrequencies : null;
  for (let i = 0; i < termIds.length; i++) {
    const term = termIds[i];
    for (let j = termPairStart[i]; j < termPairStart[i + 1]; j++) {
      const first = pairBlock[j] << blockShift;
      for (let p = pairPostingStart[j]; p < pairPostingStart[j + 1]; p++) {
        const at = cursor[first + postingDocOffset[p]]++;
        terms[at] = term;
        values[at] = tf ? tf[p] : u8Values ? u8Values[segment.postingImpacts[p]] : segment.postingImpacts[p];
      }
    }
  }
  return { docStart, terms, values };
}

/** Document d of a forward view, as a SparseVector sharing its memory. */
export function forwardVector(forward: ForwardDocuments, doc: number): SparseVector {
  const start = forward.docStart[doc];
  const end = forward.docStart[doc + 1];
  return { indices: forward.terms.subarray(start, end), values: forward.values.subarray(start, end) };
}
