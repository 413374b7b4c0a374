/**
 * One stored document read back from the term-major postings (segment.ts): its impact for given terms, or
 * its whole vector. This is what "explain" needs: a search score is Σ over the query's terms, ascending, of
 * (query weight as scored) · (stored impact), in float64 (sparse/ops.ts), so the per-term products computed
 * from these impacts add up to the score bit for bit. Values are what search reads: float32 impacts, u8 codes
 * dequantized to fround(code · scale), BM25's stored tfnorm.
 *
 * A (term, document) posting is found without scanning the term's postings: the document's internal number
 * (after reordering) gives its block and superblock; a binary search over the term's superpairs, then at
 * most S pair offsets and B posting offsets, find it. Cost per term O(log Ps + S + B).
 * Shapes: N docs, B block size, S blocks per superblock, Ps superpairs.
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import type { SparseIndex } from "./sparse-index.js";
import { findTerm, u8ValueTable, type Segment } from "./segment.js";

/** Per segment: insertion position → internal document number (the inverse of docRank), built on first use. */
const internalNumbers = new WeakMap<Segment, Uint32Array>();

function internalDoc(segment: Segment, position: number): number {
  let inverse = internalNumbers.get(segment);
  if (inverse === undefined) {
    inverse = new Uint32Array(segment.docCount); // [N]
    for (let d = 0; d < segment.docCount; d++) inverse[segment.docRank[d]] = d;
    internalNumbers.set(segment, inverse);
  }
  return inverse[position];
}

/** Index into postingImpacts of (term index ti, internal doc), or -1 when the document lacks the term. */
function postingOf(segment: Segment, ti: number, doc: number): number {
  const block = doc >>> segment.blockShift;
  const superblock = block >>> segment.superblockShift;
  const blockOffset = block - (superblock << segment.superblockShift);
  const docOffset = doc - (block << segment.blockShift);
  let lo = segment.termSuperStart[ti];
  let hi = segment.termSuperStart[ti + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const sb = segment.superBlock[mid];
    if (sb < superblock) lo = mid + 1;
    else if (sb > superblock) hi = mid - 1;
    else {
      for (let j = segment.superPairStart[mid]; j < segment.superPairStart[mid + 1]; j++) {
        if (segment.pairBlockOffset[j] !== blockOffset) continue;
        for (let p = segment.pairPostingStart[j]; p < segment.pairPostingStart[j + 1]; p++) {
          if (segment.postingDocOffset[p] === docOffset) return p;
        }
        return -1;
      }
      return -1;
    }
  }
  return -1;
}

function locate(index: SparseIndex, ordinal: number): { segment: Segment; doc: number } {
  for (const live of index.segments) {
    const position = ordinal - live.baseOrdinal;
    if (position >= 0 && position < live.segment.docCount) return { segment: live.segment, doc: internalDoc(live.segment, position) };
  }
  throw new SpladeError("NOT_FOUND", `no document with ordinal ${ordinal}`);
}

function impactReader(segment: Segment): (p: number) => number {
  if (segment.impactKind === "u8") {
    const values = u8ValueTable(segment.impactScale);
    return (p) => values[segment.postingImpacts[p]];
  }
  return (p) => segment.postingImpacts[p];
}

/** The stored impact of document `ordinal` for each of `terms` (0 where it has none). */
export function storedImpacts(index: SparseIndex, ordinal: number, terms: ArrayLike<number>): Float32Array {
  const { segment, doc } = locate(index, ordinal);
  const read = impactReader(segment);
  const out = new Float32Array(terms.length);
  for (let i = 0; i < terms.length; i++) {
    const ti = findTerm(segment, terms[i]);
    const p = ti < 0 ? -1 : postingOf(segment, ti, doc);
    if (p >= 0) out[i] = read(p);
  }
  return out;
}

/** The whole stored vector of document `ordinal` (terms ascending), as search scores it. O(T log Ps). */
export function storedVector(index: SparseIndex, ordinal: number): SparseVector {
  const { segment, doc } = locate(index, ordinal);
  const read = impactReader(segment);
  const indices: number[] = [];
  const values: number[] = [];
  for (let ti = 0; ti < segment.termIds.length; ti++) {
    const p = postingOf(segment, ti, doc);
    if (p < 0) continue;
    indices.push(segment.termIds[ti]);
    values.push(read(p));
  }
  return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
}
