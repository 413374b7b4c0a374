/**
 * Segment: an immutable block of documents in the inverted index, as flat typed arrays (so that the on-disk
 * format maps onto it without parsing and worker threads can share it through SharedArrayBuffer).
 *
 * Layout (term-major, documents ascending within each term). Letters: N documents, B docs per block,
 * NB = ceil(N/B) blocks, T distinct terms, Pb (term, block) pairs with at least one posting, P postings.
 * - termIds[T]: ascending term ids; term i owns pairs termPairStart[i] .. termPairStart[i+1].
 * - pairBlock[Pb]: the block of each pair; pairPostingStart[Pb+1]: its postings range.
 * - pairBlockMax[Pb]: u8 code of the largest impact of the term in the block, rounded *up*:
 *   value = fround(code · termBlockMaxScale[i]) ≥ every impact there (the block-max bound of BMP).
 * - postingDocOffset[P]: document number minus block·B (u8, hence B ≤ 256).
 * - postingImpacts[P]: float32 weights, or u8 codes with value = fround(code · impactScale).
 * Document ids and optional JSON payloads are UTF-8 blobs with offsets [N+1]. BM25 segments also keep the
 * raw term frequencies [P] and document lengths [N] so that merges can recompute impacts (bm25.ts).
 */
import type { Bm25Parameters } from "./bm25.js";

export type ImpactKind = "f32" | "u8";

/** How stored impacts relate to the vectors given to the index. */
export type Weighting = { readonly kind: "none" } | ({ readonly kind: "bm25" } & Bm25Parameters);

export interface SegmentBm25Data {
  readonly termFrequencies: Uint32Array; // [P], aligned with postings
  readonly docLengths: Uint32Array; // [N] token count
  /** avgdl the impacts were computed with. */
  readonly avgDocLength: number;
}

export interface Segment {
  readonly docCount: number;
  readonly postingCount: number;
  readonly blockSize: number;
  readonly blockShift: number;
  readonly blockCount: number;
  readonly impactKind: ImpactKind;
  /** u8 impacts: value = fround(code · impactScale); 1 for f32. */
  readonly impactScale: number;
  readonly termIds: Uint32Array; // [T]
  readonly termPairStart: Uint32Array; // [T+1]
  readonly termBlockMaxScale: Float32Array; // [T]
  readonly pairBlock: Uint32Array; // [Pb]
  readonly pairPostingStart: Uint32Array; // [Pb+1]
  readonly pairBlockMax: Uint8Array; // [Pb]
  readonly postingDocOffset: Uint8Array; // [P]
  readonly postingImpacts: Float32Array | Uint8Array; // [P]
  readonly idOffsets: Float64Array; // [N+1]
  readonly idBytes: Uint8Array;
  readonly payloadOffsets: Float64Array | null; // [N+1]
  readonly payloadBytes: Uint8Array | null;
  readonly bm25: SegmentBm25Data | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function segmentDocId(segment: Segment, doc: number): string {
  return utf8.decode(segment.idBytes.subarray(segment.idOffsets[doc], segment.idOffsets[doc + 1]));
}

/** The stored payload (parsed JSON), or undefined when the document has none. */
export function segmentPayload(segment: Segment, doc: number): unknown {
  if (segment.payloadOffsets === null || segment.payloadBytes === null) return undefined;
  const start = segment.payloadOffsets[doc];
  const end = segment.payloadOffsets[doc + 1];
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

/** Bytes held by the segment's arrays. */
export function segmentSizeBytes(segment: Segment): number {
  const arrays = [
    segment.termIds, segment.termPairStart, segment.termBlockMaxScale, segment.pairBlock, segment.pairPostingStart,
    segment.pairBlockMax, segment.postingDocOffset, segment.postingImpacts, segment.idOffsets, segment.idBytes,
    segment.payloadOffsets, segment.payloadBytes, segment.bm25?.termFrequencies, segment.bm25?.docLengths,
  ];
  return arrays.reduce((sum, a) => sum + (a ? a.byteLength : 0), 0);
}
