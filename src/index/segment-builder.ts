/**
 * Builds an immutable Segment (segment.ts) from documents given one at a time: (id, SparseVector, payload).
 * Documents are collected document-major in growable typed arrays; build() computes impacts (BM25),
 * quantizes them (u8), reorders documents (reorder.ts) and lays them out in blocks (block-layout.ts).
 *
 * For a BM25 segment the vectors are term-frequency vectors (integer counts) and impacts are computed at
 * build() from the avgdl the caller passes (bm25.ts explains why avgdl is a build-time input).
 * Shapes: N docs, P postings, T terms, Pb (term, block) pairs, B block size.
 */
import { SpladeError, check } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { validateSparseVector } from "../sparse/validate.js";
import { MAX_TERM_ID_EXCLUSIVE } from "./defaults.js";
import { GrowableArray } from "./growable.js";
import { bm25NormInverseTable, bm25TermImpact } from "./bm25.js";
import { u8ValueTable, type ImpactKind, type Segment, type Weighting } from "./segment.js";
import { quantizeImpacts } from "./quantization.js";
import { reorderDocuments, type Reordering } from "./reorder.js";
import { buildBlockLayout } from "./block-layout.js";
import { buildForwardIndex } from "./forward-index.js";
import { buildClusteredLists, type ApproximateSettings } from "./clustered-lists.js";

export interface IndexDocument {
  readonly id: string;
  /** SPLADE weights; for a BM25 index, term frequencies (positive integers). */
  readonly vector: SparseVector;
  /** Stored and returned with hits (e.g. {title, text}); any JSON value. */
  readonly payload?: unknown;
}

export interface SegmentBuilderOptions {
  readonly blockSize: number;
  readonly superblockSize: number;
  readonly impact: ImpactKind;
  readonly weighting: Weighting;
  readonly reorder: Reordering;
  /** Build the approximate-search structures with these knobs (absent or false: none). */
  readonly approximate?: ApproximateSettings | false;
}

/** A segment's documents as collected, document-major (shapes in the header). */
export interface CollectedDocuments {
  readonly docStart: Float64Array; // [N+1]
  readonly terms: Uint32Array; // [P]
  readonly values: Float32Array; // [P] weights (BM25: term frequencies)
  readonly docLengths: Uint32Array; // [N] (BM25; empty otherwise)
  readonly idOffsets: Float64Array; // [N+1]
  readonly idBytes: Uint8Array;
  readonly payloadOffsets: Float64Array | null; // [N+1]
  readonly payloadBytes: Uint8Array | null;
  readonly maxTerm: number;
}

const MAX_POSTINGS = 2 ** 32 - 1;
const utf8 = new TextEncoder();

export class SegmentBuilder {
  private readonly terms = new GrowableArray(Uint32Array, 1 << 16); // [P]
  private readonly values = new GrowableArray(Float32Array, 1 << 16); // [P]
  private readonly docStart = new GrowableArray(Float64Array, 1 << 10); // [N+1]
  private readonly docLength = new GrowableArray(Uint32Array, 1 << 10); // [N] (BM25)
  private readonly idBytes = new GrowableArray(Uint8Array, 1 << 14);
  private readonly idOffsets = new GrowableArray(Float64Array, 1 << 10);
  private readonly payloadBytes = new GrowableArray(Uint8Array, 1 << 10);
  private readonly payloadOffsets = new GrowableArray(Float64Array, 1 << 10);
  private hasPayload = false;
  private maxTerm = -1;
  private sumLength = 0;

  constructor(readonly options: SegmentBuilderOptions) {
    const isPow2 = (x: number) => Number.isInteger(x) && x >= 1 && x <= 256 && (x & (x - 1)) === 0;
    check(isPow2(options.blockSize), `block size must be a power of two in [1, 256], got ${options.blockSize}`);
    check(isPow2(options.superblockSize), `superblock size must be a power of two in [1, 256], got ${options.superblockSize}`);
    this.docStart.push(0);
    this.idOffsets.push(0);
    this.payloadOffsets.push(0);
  }

  get docCount(): number {
    return this.idOffsets.length - 1;
  }

  get postingCount(): number {
    return this.terms.length;
  }

  /** Σ document lengths (BM25: tokens; otherwise 0). */
  get sumDocLength(): number {
    return this.sumLength;
  }

  add(doc: IndexDocument): void {
    if (typeof doc.id !== "string" || doc.id.length === 0) throw new SpladeError("INVALID_ARGUMENT", `document id must be a non-empty string, got ${JSON.stringify(doc.id)}`);
    const label = `document "${doc.id}"`;
    validateSparseVector(doc.vector, { label, nonNegative: true, dimension: MAX_TERM_ID_EXCLUSIVE });
    const { indices, values } = doc.vector;
    if (this.terms.length + indices.length > MAX_POSTINGS) throw new SpladeError("INVALID_ARGUMENT", `segment would exceed ${MAX_POSTINGS} postings`);
    const bm25 = this.options.weighting.kind === "bm25";
    let length = 0;
    for (let i = 0; i < indices.length; i++) {
      const v = values[i];
      if (v === 0) continue;
      if (bm25) {
        if (!Number.isInteger(v)) throw new SpladeError("INVALID_ARGUMENT", `${label}: a BM25 index takes term frequencies (integers), term ${indices[i]} has ${v}`);
        length += v;
      }
      this.terms.push(indices[i]);
      this.values.push(v);
    }
    if (indices.length > 0 && indices[indices.length - 1] > this.maxTerm) this.maxTerm = indices[indices.length - 1];
    this.docStart.push(this.terms.length);
    if (bm25) {
      this.docLength.push(length);
      this.sumLength += length;
    }
    this.idBytes.pushAll(utf8.encode(doc.id));
    this.idOffsets.push(this.idBytes.length);
    if (doc.payload !== undefined) {
      this.hasPayload = true;
      this.payloadBytes.pushAll(utf8.encode(JSON.stringify(doc.payload)));
    }
    this.payloadOffsets.push(this.payloadBytes.length);
  }

  /**
   * The collected documents as plain typed arrays, for build() here or on another thread (the writer's
   * background build, segment-build-thread.ts, transfers their buffers). The builder must not be used after.
   */
  collected(): CollectedDocuments {
    return {
      docStart: this.docStart.view(),
      terms: this.terms.view(),
      values: this.values.view(),
      docLengths: this.docLength.toArray(),
      idOffsets: this.idOffsets.toArray(),
      idBytes: this.idBytes.toArray(),
      payloadOffsets: this.hasPayload ? this.payloadOffsets.toArray() : null,
      payloadBytes: this.hasPayload ? this.payloadBytes.toArray() : null,
      maxTerm: this.maxTerm,
    };
  }

  /** Transposes the collected documents into a Segment. `avgDocLength` is required for BM25 (bm25.ts). */
  build(context: { avgDocLength?: number } = {}): Segment {
    return buildSegment(this.options, this.collected(), context);
  }
}

/** Transposes collected documents into a Segment. `avgDocLength` is required for BM25 (bm25.ts). */
export function buildSegment(options: SegmentBuilderOptions, documents: CollectedDocuments, context: { avgDocLength?: number } = {}): Segment {
  const { blockSize, superblockSize, impact, weighting, reorder } = options;
  const { docStart, terms, values, maxTerm } = documents;
  const N = docStart.length - 1;

  let impacts: Float32Array = values;
  let avgDocLength = 0;
  if (weighting.kind === "bm25") {
    check(context.avgDocLength !== undefined && context.avgDocLength > 0, "BM25 segment build needs a positive avgDocLength");
    avgDocLength = context.avgDocLength;
    const normInverse = bm25NormInverseTable(weighting, avgDocLength);
    impacts = new Float32Array(values.length);
    for (let d = 0; d < N; d++) {
      const dl = documents.docLengths[d];
      for (let p = docStart[d]; p < docStart[d + 1]; p++) impacts[p] = bm25TermImpact(values[p], dl, normInverse);
    }
  }
  const quantized = impact === "u8" ? quantizeImpacts(impacts) : null;
  const order = reorderDocuments(reorder, docStart, terms, impacts, maxTerm, blockSize);
  const forwardInput = {
    docStart, terms, order, maxTerm,
    impacts: quantized ? quantized.codes : impacts,
    u8Values: quantized ? u8ValueTable(quantized.scale) : null,
    termFrequencies: weighting.kind === "bm25" ? Uint32Array.from(values) : null,
  };
  const layout = buildBlockLayout(forwardInput, blockSize, superblockSize);
  let approximate: Segment["approximate"] = null;
  if (options.approximate) {
    const forward = buildForwardIndex(forwardInput, layout.termIds);
    approximate = { ...forward, ...buildClusteredLists(forward, options.approximate) };
  }
  const blockCount = Math.ceil(N / blockSize);
  return {
    docCount: N,
    postingCount: terms.length,
    blockSize,
    blockShift: Math.log2(blockSize),
    blockCount,
    superblockSize,
    superblockShift: Math.log2(superblockSize),
    superblockCount: Math.ceil(blockCount / superblockSize),
    impactKind: impact,
    impactScale: quantized ? quantized.scale : 1,
    docRank: order,
    termIds: layout.termIds,
    termBlockMaxScale: layout.termBlockMaxScale,
    termSuperStart: layout.termSuperStart,
    superBlock: layout.superBlock,
    superPairStart: layout.superPairStart,
    pairBlockOffset: layout.pairBlockOffset,
    pairBlockMax: layout.pairBlockMax,
    pairPostingStart: layout.pairPostingStart,
    postingDocOffset: layout.postingDocOffset,
    postingImpacts: layout.postingImpacts,
    termDenseRow: layout.termDenseRow,
    denseBlockMax: layout.denseBlockMax,
    idOffsets: documents.idOffsets,
    idBytes: documents.idBytes,
    payloadOffsets: documents.payloadOffsets,
    payloadBytes: documents.payloadBytes,
    bm25: layout.termFrequencies ? { termFrequencies: layout.termFrequencies, docLengths: documents.docLengths, avgDocLength } : null,
    approximate,
  };
}
