/**
 * Builds an immutable Segment (segment.ts) from documents given one at a time: (id, SparseVector, payload).
 * Documents are collected document-major in growable typed arrays, then transposed to the term-major layout
 * with a counting sort (O(P + T)), and the per-(term, block) maxima are computed and quantized upwards.
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
import { quantizeBlockMax, quantizeImpacts } from "./quantization.js";

export interface IndexDocument {
  readonly id: string;
  /** SPLADE weights; for a BM25 index, term frequencies (positive integers). */
  readonly vector: SparseVector;
  /** Stored and returned with hits (e.g. {title, text}); any JSON value. */
  readonly payload?: unknown;
}

export interface SegmentBuilderOptions {
  readonly blockSize: number;
  readonly impact: ImpactKind;
  readonly weighting: Weighting;
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
    const B = options.blockSize;
    check(Number.isInteger(B) && B >= 1 && B <= 256 && (B & (B - 1)) === 0, `block size must be a power of two in [1, 256], got ${B}`);
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

  /** Transposes the collected documents into a Segment. `avgDocLength` is required for BM25 (bm25.ts). */
  build(context: { avgDocLength?: number } = {}): Segment {
    const { blockSize, impact, weighting } = this.options;
    const N = this.docCount;
    const P = this.terms.length;
    const fwdTerm = this.terms.view(); // [P]
    const fwdValue = this.values.view(); // [P]
    const docStart = this.docStart.view(); // [N+1]

    let fwdImpact: Float32Array = fwdValue;
    let avgDocLength = 0;
    if (weighting.kind === "bm25") {
      check(context.avgDocLength !== undefined && context.avgDocLength > 0, "BM25 segment build needs a positive avgDocLength");
      avgDocLength = context.avgDocLength;
      const normInverse = bm25NormInverseTable(weighting, avgDocLength);
      fwdImpact = new Float32Array(P);
      for (let d = 0; d < N; d++) {
        const dl = this.docLength.get(d);
        for (let p = docStart[d]; p < docStart[d + 1]; p++) fwdImpact[p] = bm25TermImpact(fwdValue[p], dl, normInverse);
      }
    }
    const quantized = impact === "u8" ? quantizeImpacts(fwdImpact) : null;

    // Counting sort by term: documents ascending within each term because documents are visited in order.
    const V = this.maxTerm + 1;
    const termCount = new Uint32Array(V);
    for (let p = 0; p < P; p++) termCount[fwdTerm[p]]++;
    let T = 0;
    for (let t = 0; t < V; t++) if (termCount[t] > 0) T++;
    const termIds = new Uint32Array(T);
    const termIndexOf = new Int32Array(V).fill(-1);
    const termPostingStart = new Uint32Array(T + 1);
    for (let t = 0, i = 0; t < V; t++) {
      if (termCount[t] === 0) continue;
      termIds[i] = t;
      termIndexOf[t] = i;
      termPostingStart[i + 1] = termPostingStart[i] + termCount[t];
      i++;
    }
    const cursor = termPostingStart.slice(0, T);
    const postingDoc = new Uint32Array(P); // [P] global doc numbers (temporary)
    const postingImpacts = quantized ? new Uint8Array(P) : new Float32Array(P);
    const termFrequencies = weighting.kind === "bm25" ? new Uint32Array(P) : null;
    for (let d = 0; d < N; d++) {
      for (let p = docStart[d]; p < docStart[d + 1]; p++) {
        const pos = cursor[termIndexOf[fwdTerm[p]]]++;
        postingDoc[pos] = d;
        postingImpacts[pos] = quantized ? quantized.codes[p] : fwdImpact[p];
        if (termFrequencies) termFrequencies[pos] = fwdValue[p];
      }
    }

    const shift = Math.log2(blockSize);
    const blocks = buildBlockPairs(termPostingStart, postingDoc, postingImpacts, quantized ? u8ValueTable(quantized.scale) : null, shift);
    const postingDocOffset = new Uint8Array(P);
    const mask = blockSize - 1;
    for (let p = 0; p < P; p++) postingDocOffset[p] = postingDoc[p] & mask;

    return {
      docCount: N,
      postingCount: P,
      blockSize,
      blockShift: shift,
      blockCount: Math.ceil(N / blockSize),
      impactKind: impact,
      impactScale: quantized ? quantized.scale : 1,
      termIds,
      termPairStart: blocks.termPairStart,
      termBlockMaxScale: blocks.termBlockMaxScale,
      pairBlock: blocks.pairBlock,
      pairPostingStart: blocks.pairPostingStart,
      pairBlockMax: blocks.pairBlockMax,
      postingDocOffset,
      postingImpacts,
      idOffsets: this.idOffsets.toArray(),
      idBytes: this.idBytes.toArray(),
      payloadOffsets: this.hasPayload ? this.payloadOffsets.toArray() : null,
      payloadBytes: this.hasPayload ? this.payloadBytes.toArray() : null,
      bm25: termFrequencies ? { termFrequencies, docLengths: this.docLength.toArray(), avgDocLength } : null,
    };
  }
}

/** Groups each term's postings by block and records the (rounded-up, quantized) maximum impact per block. */
function buildBlockPairs(
  termPostingStart: Uint32Array,
  postingDoc: Uint32Array,
  postingImpacts: Float32Array | Uint8Array,
  u8Values: Float32Array | null,
  shift: number,
) {
  const T = termPostingStart.length - 1;
  let pairs = 0;
  for (let i = 0; i < T; i++) {
    let prev = -1;
    for (let p = termPostingStart[i]; p < termPostingStart[i + 1]; p++) {
      const b = postingDoc[p] >>> shift;
      if (b !== prev) {
        pairs++;
        prev = b;
      }
    }
  }
  const termPairStart = new Uint32Array(T + 1);
  const pairBlock = new Uint32Array(pairs);
  const pairPostingStart = new Uint32Array(pairs + 1);
  const pairMaxValue = new Float32Array(pairs);
  let j = -1;
  for (let i = 0; i < T; i++) {
    termPairStart[i] = j + 1;
    let prev = -1;
    for (let p = termPostingStart[i]; p < termPostingStart[i + 1]; p++) {
      const b = postingDoc[p] >>> shift;
      if (b !== prev) {
        j++;
        pairBlock[j] = b;
        pairPostingStart[j] = p;
        prev = b;
      }
      const value = u8Values ? u8Values[postingImpacts[p]] : postingImpacts[p];
      if (value > pairMaxValue[j]) pairMaxValue[j] = value;
    }
  }
  termPairStart[T] = pairs;
  pairPostingStart[pairs] = termPostingStart[T];
  const { codes, termScales } = quantizeBlockMax(termPairStart, pairMaxValue);
  return { termPairStart, pairBlock, pairPostingStart, pairBlockMax: codes, termBlockMaxScale: termScales };
}
