/**
 * Segment files (`*.seg`): a Segment (segment.ts) in the binary container of binary-file.ts, kind "SEGM".
 * One section per array (named as in segmentArrays) plus a JSON "meta" section with the scalars. Loading
 * verifies every checksum and the structural invariants that cost O(1) per array (lengths and end
 * offsets), so that a corrupt or foreign file is an error, never a wrong result.
 * Versions: 1 (exact search only); 2 adds the approximate-search sections when meta.approximate is true
 * (segment-approximate-file.ts). Version 1 files still load, without them.
 */
import { SpladeError } from "../util/errors.js";
import { encodeBinaryFile, readBinaryFile, sectionArray, sectionJson, type SectionInput, type SectionType } from "./binary-file.js";
import { segmentArrays, type ImpactKind, type Segment } from "./segment.js";
import { approximateSectionType, isApproximateSection, readApproximateSections } from "./segment-approximate-file.js";

export const SEGMENT_KIND = "SEGM";
export const SEGMENT_VERSION = 2;

interface SegmentMeta {
  docCount: number;
  postingCount: number;
  blockSize: number;
  superblockSize: number;
  impactKind: ImpactKind;
  impactScale: number;
  bm25: { avgDocLength: number } | null;
  hasPayload: boolean;
  /** Version 2: the approximate-search sections are present. */
  approximate?: boolean;
}

const TYPES: Record<string, SectionType> = {
  docRank: "u32", termIds: "u32", termBlockMaxScale: "f32", termSuperStart: "u32", superBlock: "u32",
  superPairStart: "u32", pairBlockOffset: "u8", pairBlockMax: "u8", pairPostingStart: "u32",
  postingDocOffset: "u8", termDenseRow: "i32", denseBlockMax: "u8", idOffsets: "f64", idBytes: "u8",
  payloadOffsets: "f64", payloadBytes: "u8", termFrequencies: "u32", docLengths: "u32",
};

/** Encodes a segment as chunks for an atomic writer, with the header CRC the manifest records. */
export function encodeSegment(segment: Segment): { chunks: Uint8Array[]; headerCrc32: number } {
  const meta: SegmentMeta = {
    docCount: segment.docCount,
    postingCount: segment.postingCount,
    blockSize: segment.blockSize,
    superblockSize: segment.superblockSize,
    impactKind: segment.impactKind,
    impactScale: segment.impactScale,
    bm25: segment.bm25 ? { avgDocLength: segment.bm25.avgDocLength } : null,
    hasPayload: segment.payloadOffsets !== null,
    approximate: segment.approximate !== null,
  };
  const sections: SectionInput[] = [{ name: "meta", type: "json", data: Buffer.from(JSON.stringify(meta), "utf8") }];
  for (const [name, data] of Object.entries(segmentArrays(segment))) {
    if (data === null) continue;
    sections.push({ name, type: name === "postingImpacts" ? segment.impactKind : TYPES[name] ?? approximateSectionType(name, data), data });
  }
  return encodeBinaryFile(SEGMENT_KIND, SEGMENT_VERSION, sections);
}

/**
 * Reads a segment file. `approximate: false` leaves the approximate-search sections on disk (an index opened
 * for exact search only takes less memory).
 */
export function readSegmentFile(path: string, options: { shared?: boolean; verify?: boolean; approximate?: boolean } = {}): { segment: Segment; headerCrc32: number; sizeBytes: number } {
  const withApproximate = options.approximate !== false;
  const file = readBinaryFile(path, { kind: SEGMENT_KIND, maxVersion: SEGMENT_VERSION, shared: options.shared, verify: options.verify, skip: withApproximate ? undefined : isApproximateSection });
  const meta = sectionJson(file, path, "meta") as SegmentMeta;
  const invalid = (problem: string): never => {
    throw new SpladeError("INVALID_FILE", `${path}: inconsistent segment (${problem})`, { path });
  };
  const isPow2 = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 1 && x <= 256 && (x & (x - 1)) === 0;
  if (typeof meta !== "object" || meta === null || !Number.isInteger(meta.docCount) || !Number.isInteger(meta.postingCount)) invalid("meta");
  if (!isPow2(meta.blockSize) || !isPow2(meta.superblockSize)) invalid("block sizes");
  if (meta.impactKind !== "f32" && meta.impactKind !== "u8") invalid(`impact kind ${meta.impactKind}`);
  const u32 = (name: string) => sectionArray(file, path, name, "u32");
  const u8 = (name: string) => sectionArray(file, path, name, "u8");
  const N = meta.docCount;
  const P = meta.postingCount;
  const blockCount = Math.ceil(N / meta.blockSize);
  const superblockCount = Math.ceil(blockCount / meta.superblockSize);
  const termIds = u32("termIds");
  const T = termIds.length;
  const termSuperStart = u32("termSuperStart");
  const superBlock = u32("superBlock");
  const superPairStart = u32("superPairStart");
  const pairBlockOffset = u8("pairBlockOffset");
  const pairBlockMax = u8("pairBlockMax");
  const pairPostingStart = u32("pairPostingStart");
  const postingDocOffset = u8("postingDocOffset");
  const postingImpacts = meta.impactKind === "f32" ? sectionArray(file, path, "postingImpacts", "f32") : u8("postingImpacts");
  const termBlockMaxScale = sectionArray(file, path, "termBlockMaxScale", "f32");
  const termDenseRow = sectionArray(file, path, "termDenseRow", "i32");
  const denseBlockMax = u8("denseBlockMax");
  const docRank = u32("docRank");
  const idOffsets = sectionArray(file, path, "idOffsets", "f64");
  const idBytes = u8("idBytes");
  const Ps = superBlock.length;
  const Pb = pairBlockOffset.length;
  if (termSuperStart.length !== T + 1 || termSuperStart[T] !== Ps || termBlockMaxScale.length !== T || termDenseRow.length !== T) invalid("term arrays");
  if (superPairStart.length !== Ps + 1 || superPairStart[Ps] !== Pb) invalid("superblock arrays");
  if (pairBlockMax.length !== Pb || pairPostingStart.length !== Pb + 1 || pairPostingStart[Pb] !== P) invalid("pair arrays");
  if (postingDocOffset.length !== P || postingImpacts.length !== P) invalid("posting arrays");
  if (denseBlockMax.length % Math.max(1, blockCount) !== 0) invalid("dense block maxima");
  if (docRank.length !== N || idOffsets.length !== N + 1 || idOffsets[N] !== idBytes.length) invalid("document arrays");
  let payloadOffsets: Float64Array | null = null;
  let payloadBytes: Uint8Array | null = null;
  if (meta.hasPayload) {
    payloadOffsets = sectionArray(file, path, "payloadOffsets", "f64");
    payloadBytes = u8("payloadBytes");
    if (payloadOffsets.length !== N + 1 || payloadOffsets[N] !== payloadBytes.length) invalid("payload arrays");
  }
  let bm25: Segment["bm25"] = null;
  if (meta.bm25 !== null) {
    const termFrequencies = u32("termFrequencies");
    const docLengths = u32("docLengths");
    if (termFrequencies.length !== P || docLengths.length !== N || !(meta.bm25.avgDocLength > 0)) invalid("BM25 arrays");
    bm25 = { termFrequencies, docLengths, avgDocLength: meta.bm25.avgDocLength };
  }
  const approximate = withApproximate && file.version >= 2 && meta.approximate === true ? readApproximateSections(file, path, { docCount: N, postingCount: P, termCount: T }) : null;
  const segment: Segment = {
    docCount: N,
    postingCount: P,
    blockSize: meta.blockSize,
    blockShift: Math.log2(meta.blockSize),
    blockCount,
    superblockSize: meta.superblockSize,
    superblockShift: Math.log2(meta.superblockSize),
    superblockCount,
    impactKind: meta.impactKind,
    impactScale: meta.impactScale,
    docRank, termIds, termBlockMaxScale, termSuperStart, superBlock, superPairStart, pairBlockOffset, pairBlockMax,
    pairPostingStart, postingDocOffset, postingImpacts, termDenseRow, denseBlockMax, idOffsets, idBytes,
    payloadOffsets, payloadBytes, bm25, approximate,
  };
  return { segment, headerCrc32: file.headerCrc32, sizeBytes: file.sizeBytes };
}

/** Reads only the document ids of a segment file (for deletions and duplicate checks). */
export function readSegmentIds(path: string): { docCount: number; idOffsets: Float64Array; idBytes: Uint8Array } {
  const file = readBinaryFile(path, { kind: SEGMENT_KIND, maxVersion: SEGMENT_VERSION, only: ["meta", "idOffsets", "idBytes"] });
  const meta = sectionJson(file, path, "meta") as SegmentMeta;
  const idOffsets = sectionArray(file, path, "idOffsets", "f64");
  const idBytes = sectionArray(file, path, "idBytes", "u8");
  if (!Number.isInteger(meta?.docCount) || idOffsets.length !== meta.docCount + 1 || idOffsets[meta.docCount] !== idBytes.length) {
    throw new SpladeError("INVALID_FILE", `${path}: inconsistent segment (document arrays)`, { path });
  }
  return { docCount: meta.docCount, idOffsets, idBytes };
}
