/**
 * Back from postings to documents: the forward (document-major) view of a segment in insertion order, used
 * by merges (rebuilding a segment from the live documents of several) and by the tests' brute-force oracle.
 * Terms come out ascending within each document because the term-major structures are walked in ascending
 * term order. Values are the stored impacts (dequantized for u8 segments) or, for BM25 segments, optionally
 * the raw term frequencies. Shapes: N docs, P postings.
 */
import type { SparseVector } from "../sparse/vector.js";
import { u8ValueTable, type Segment } from "./segment.js";

export interface ForwardDocuments {
  readonly docStart: Float64Array; // [N+1] by insertion position
  readonly terms: Uint32Array; // [P]
  readonly values: Float32Array; // [P]
}

/** Calls visit(insertionPosition, term, postingIndex) for every posting, terms ascending. */
function forEachPosting(segment: Segment, visit: (position: number, term: number, p: number) => void): void {
  const { termIds, termSuperStart, superBlock, superPairStart, pairBlockOffset, pairPostingStart, postingDocOffset, docRank } = segment;
  for (let i = 0; i < termIds.length; i++) {
    for (let sp = termSuperStart[i]; sp < termSuperStart[i + 1]; sp++) {
      const firstBlock = superBlock[sp] << segment.superblockShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) {
        const base = (firstBlock + pairBlockOffset[j]) << segment.blockShift;
        for (let p = pairPostingStart[j]; p < pairPostingStart[j + 1]; p++) visit(docRank[base + postingDocOffset[p]], termIds[i], p);
      }
    }
  }
}

export function forwardDocuments(segment: Segment, source: "impacts" | "termFrequencies" = "impacts"): ForwardDocuments {
  const N = segment.docCount;
  if (source === "termFrequencies" && segment.bm25 === null) throw new RangeError("forwardDocuments: not a BM25 segment");
  const docStart = new Float64Array(N + 1);
  forEachPosting(segment, (position) => docStart[position + 1]++);
  for (let d = 0; d < N; d++) docStart[d + 1] += docStart[d];
  const cursor = docStart.slice(0, N);
  const terms = new Uint32Array(segment.postingCount);
  const values = new Float32Array(segment.postingCount);
  const u8Values = segment.impactKind === "u8" ? u8ValueTable(segment.impactScale) : null;
  const tf = source === "termFrequencies" ? segment.bm25!.termFrequencies : null;
  const impacts = segment.postingImpacts;
  forEachPosting(segment, (position, term, p) => {
    const at = cursor[position]++;
    terms[at] = term;
    values[at] = tf ? tf[p] : u8Values ? u8Values[impacts[p]] : impacts[p];
  });
  return { docStart, terms, values };
}

/** Document at insertion position `position` of a forward view, as a SparseVector sharing its memory. */
export function forwardVector(forward: ForwardDocuments, position: number): SparseVector {
  const start = forward.docStart[position];
  const end = forward.docStart[position + 1];
  return { indices: forward.terms.subarray(start, end), values: forward.values.subarray(start, end) };
}
