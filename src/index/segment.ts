/**
 * Segment: an immutable batch of documents of the inverted index, as flat typed arrays (the on-disk format
 * maps onto them without parsing, and worker threads share them through SharedArrayBuffer).
 *
 * Letters: N documents, B docs per block, NB = ceil(N/B) blocks, S blocks per superblock, NS superblocks,
 * T distinct terms, Pb (term, block) pairs with at least one posting, Ps (term, superblock) pairs,
 * P postings. "Internal" document numbers are positions after reordering (reorder.ts); docRank maps them
 * back to insertion order, which is what ids, payloads, deletions and the tie-break use.
 *
 * Everything is term-major (a term's data is contiguous, so term-at-a-time scoring streams through memory):
 *  - termIds[T] ascending; term i owns superpairs termSuperStart[i] .. termSuperStart[i+1].
 *  - superBlock[Ps] (superblock number), superPairStart[Ps+1]: the superpair's pairs. Superblocks index
 *    the pairs: a block's pair for a term is found by scanning at most S pair offsets.
 *  - pairBlockOffset[Pb] (u8: block − superblock·S), pairBlockMax[Pb] (u8 code of the term's largest impact
 *    in the block, rounded up: fround(code · termBlockMaxScale[i]) ≥ every impact there),
 *    pairPostingStart[Pb+1]: the pair's postings.
 *  - postingDocOffset[P] (u8: internal doc − block·B) and postingImpacts[P] (f32, or u8 codes with
 *    value fround(code · impactScale)).
 *  - Dense block maxima for frequent terms (pairs ≥ NB/4): termDenseRow[T] (row or −1) and
 *    denseBlockMax[R, NB] (u8 codes, 0 = absent), so that a query's block bounds cost one sequential pass
 *    of NB bytes per frequent term instead of a scattered pass over its pairs (as in the BMP paper).
 * Ids and optional JSON payloads are UTF-8 blobs with offsets [N+1] in insertion order. BM25 segments also
 * keep term frequencies [P] (aligned with postings) and document lengths [N] (insertion order) so that
 * merges can recompute impacts (bm25.ts). Segments built for approximate search also carry a forward index
 * and pruned, clustered posting lists with summaries (`approximate`; forward-index.ts, clustered-lists.ts).
 */
import type { Bm25Parameters } from "./bm25.js";
import type { ForwardIndex } from "./forward-index.js";
import type { ClusteredLists } from "./clustered-lists.js";

/** Approximate-search structures (forward-index.ts, clustered-lists.ts). */
export type ApproximateIndex = ForwardIndex & ClusteredLists;

export type ImpactKind = "f32" | "u8";

/** How stored impacts relate to the vectors given to the index. */
export type Weighting = { readonly kind: "none" } | ({ readonly kind: "bm25" } & Bm25Parameters);

export interface SegmentBm25Data {
  readonly termFrequencies: Uint32Array; // [P]
  readonly docLengths: Uint32Array; // [N], insertion order
  /** avgdl the impacts were computed with. */
  readonly avgDocLength: number;
}

export interface Segment {
  readonly docCount: number;
  readonly postingCount: number;
  readonly blockSize: number; // B
  readonly blockShift: number; // log2 B
  readonly blockCount: number; // NB
  readonly superblockSize: number; // S, blocks per superblock
  readonly superblockShift: number; // log2 S
  readonly superblockCount: number; // NS
  readonly impactKind: ImpactKind;
  readonly impactScale: number; // u8 impacts: value = fround(code · impactScale); 1 for f32
  readonly docRank: Uint32Array; // [N] internal doc → insertion position
  readonly termIds: Uint32Array; // [T]
  readonly termBlockMaxScale: Float32Array; // [T]
  readonly termSuperStart: Uint32Array; // [T+1]
  readonly superBlock: Uint32Array; // [Ps]
  readonly superPairStart: Uint32Array; // [Ps+1]
  readonly pairBlockOffset: Uint8Array; // [Pb]
  readonly pairBlockMax: Uint8Array; // [Pb]
  readonly pairPostingStart: Uint32Array; // [Pb+1]
  readonly postingDocOffset: Uint8Array; // [P]
  readonly postingImpacts: Float32Array | Uint8Array; // [P]
  readonly termDenseRow: Int32Array; // [T]
  readonly denseBlockMax: Uint8Array; // [R, NB]
  readonly idOffsets: Float64Array; // [N+1]
  readonly idBytes: Uint8Array;
  readonly payloadOffsets: Float64Array | null; // [N+1]
  readonly payloadBytes: Uint8Array | null;
  readonly bm25: SegmentBm25Data | null;
  readonly approximate: ApproximateIndex | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Id of the document at insertion position `position` of the segment. */
export function segmentDocId(segment: Segment, position: number): string {
  return utf8.decode(segment.idBytes.subarray(segment.idOffsets[position], segment.idOffsets[position + 1]));
}

/** Stored payload (parsed JSON) at insertion position `position`, or undefined when there is none. */
export function segmentPayload(segment: Segment, position: number): unknown {
  if (segment.payloadOffsets === null || segment.payloadBytes === null) return undefined;
  const start = segment.payloadOffsets[position];
  const end = segment.payloadOffsets[position + 1];
  if (start === end) return undefined;
  return JSON.parse(utf8.decode(segment.payloadBytes.subarray(start, end)));
}

/** Value table of u8 codes: value(code) = fround(code · scale). */
export function u8ValueTable(scale: number): Float32Array {
  const table = new Float32Array(256);
  for (let c = 0; c < 256; c++) table[c] = Math.fround(c * scale);
  return table;
}

/** The index of `term` in segment.termIds, or -1. */
export function findTerm(segment: Segment, term: number): number {
  const ids = segment.termIds;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v === term) return mid;
    if (v < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The typed arrays of a segment, by name (for sizes, serialization and sharing); approximate ones last. */
export function segmentArrays(segment: Segment): Record<string, ArrayBufferView | null> {
  return { ...exactArrays(segment), ...(segment.approximate ?? {}) };
}

/** The arrays of everything but the approximate-search structures. */
function exactArrays(segment: Segment): Record<string, ArrayBufferView | null> {
  return {
    docRank: segment.docRank,
    termIds: segment.termIds,
    termBlockMaxScale: segment.termBlockMaxScale,
    termSuperStart: segment.termSuperStart,
    superBlock: segment.superBlock,
    superPairStart: segment.superPairStart,
    pairBlockOffset: segment.pairBlockOffset,
    pairBlockMax: segment.pairBlockMax,
    pairPostingStart: segment.pairPostingStart,
    postingDocOffset: segment.postingDocOffset,
    postingImpacts: segment.postingImpacts,
    termDenseRow: segment.termDenseRow,
    denseBlockMax: segment.denseBlockMax,
    idOffsets: segment.idOffsets,
    idBytes: segment.idBytes,
    payloadOffsets: segment.payloadOffsets,
    payloadBytes: segment.payloadBytes,
    termFrequencies: segment.bm25?.termFrequencies ?? null,
    docLengths: segment.bm25?.docLengths ?? null,
  };
}

/** Bytes of the arrays exact search reads (everything but ids, payloads, BM25's merge-only tf/dl arrays
 * and the approximate-search structures). */
export function segmentSearchBytes(segment: Segment): number {
  const { idOffsets, idBytes, payloadOffsets, payloadBytes, termFrequencies, docLengths, ...searched } = exactArrays(segment);
  void [idOffsets, idBytes, payloadOffsets, payloadBytes, termFrequencies, docLengths];
  return Object.values(searched).reduce((sum, a) => sum + (a ? a.byteLength : 0), 0);
}

/** Bytes of the approximate-search structures (0 without them). */
export function segmentApproximateBytes(segment: Segment): number {
  return Object.values(segment.approximate ?? {}).reduce((sum: number, a: ArrayBufferView) => sum + a.byteLength, 0);
}

/** Bytes held by the segment's arrays. */
export function segmentSizeBytes(segment: Segment): number {
  return Object.values(segmentArrays(segment)).reduce((sum, a) => sum + (a ? a.byteLength : 0), 0);
}
