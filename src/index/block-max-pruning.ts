/**
 * Exact block-max pruning (BMP; Mallia, Suel & Tonellotto, "Faster Learned Sparse Retrieval with Block-Max
 * Pruning", SIGIR 2024), adapted to the term-major layout of segment.ts:
 *  1. For every block of B consecutive documents, an upper bound UB[b] = Σ_q w_q · blockmax_q(b) is summed
 *     over the query's terms (one pass over each query term's (term, block) pairs). The same pass records,
 *     per query term and block, where the term's postings for that block start ([Q × NB] pointer table,
 *     validated on read so it never needs clearing).
 *  2. Blocks are visited in descending UB order (a counting sort into buckets). A block is scored exactly:
 *     its postings for each query term are added, in ascending term order, into B float64 accumulators.
 *  3. Once the heap holds k documents, any block whose UB is below the k-th score is skipped; when a whole
 *     bucket's upper edge is below it, the search stops.
 *
 * Exactness: block maxima are rounded up (quantization.ts), all weights are non-negative, UB and document
 * scores are summed in float64 in the same (ascending term) order, and float rounding is monotone, so
 * UB[b] ≥ score(d) for every d in b *in floating point*, not just in exact arithmetic. Skipping requires
 * UB < threshold strictly, so a document tying the k-th score is still visited and the ordinal tie-break
 * decides. Hence the result equals the exhaustive scorer's exactly (tested with property tests).
 *
 * Shapes: Q query terms, NB blocks, B docs per block.
 */
import type { TopK } from "./top-k.js";
import { u8ValueTable } from "./segment.js";
import { isDeleted, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";

/** Buckets of the counting sort over upper bounds (enough resolution to visit blocks nearly in order). */
const BUCKETS = 4096;

export function blockMaxSearchSegment(live: LiveSegment, query: SegmentQuery, heap: TopK, scratch: SearchScratch): void {
  const seg = live.segment;
  const NB = seg.blockCount;
  const Q = query.count;
  if (Q === 0 || NB === 0) return;
  const { termPairStart, termBlockMaxScale, pairBlock, pairBlockMax, pairPostingStart, postingDocOffset } = seg;

  // 1. Upper bounds and pointers.
  const ub = scratch.bounds(NB); // [NB]
  const ptr = scratch.pointers(Q * NB); // [Q, NB]
  const maxTable = new Float64Array(256);
  let maxUb = 0;
  for (let q = 0; q < Q; q++) {
    const ti = query.termIndex[q];
    const w = query.weight[q];
    const scale = termBlockMaxScale[ti];
    for (let c = 0; c < 256; c++) maxTable[c] = w * Math.fround(c * scale);
    const row = q * NB;
    const hi = termPairStart[ti + 1];
    for (let j = termPairStart[ti]; j < hi; j++) {
      const b = pairBlock[j];
      ub[b] += maxTable[pairBlockMax[j]];
      ptr[row + b] = j;
    }
  }
  for (let b = 0; b < NB; b++) if (ub[b] > maxUb) maxUb = ub[b];
  if (maxUb === 0) return;

  // 2. Counting sort of the blocks with a chance (UB > 0 and ≥ the current threshold) into buckets.
  const threshold0 = heap.threshold;
  const bucketOf = (BUCKETS - 1) / maxUb;
  const bucketStart = new Uint32Array(BUCKETS + 1);
  for (let b = 0; b < NB; b++) {
    const u = ub[b];
    if (u > 0 && u >= threshold0) bucketStart[((u * bucketOf) | 0) + 1]++;
  }
  for (let i = 0; i < BUCKETS; i++) bucketStart[i + 1] += bucketStart[i];
  const candidates = bucketStart[BUCKETS];
  const order = scratch.order(candidates);
  const fill = bucketStart.slice(0, BUCKETS);
  for (let b = 0; b < NB; b++) {
    const u = ub[b];
    if (u > 0 && u >= threshold0) order[fill[(u * bucketOf) | 0]++] = b;
  }

  // 3. Visit blocks from the highest bucket down.
  const B = seg.blockSize;
  const shift = seg.blockShift;
  const acc = new Float64Array(B); // [B]
  const u8Values = seg.impactKind === "u8" ? u8ValueTable(seg.impactScale) : null;
  const f32Impacts = seg.impactKind === "f32" ? (seg.postingImpacts as Float32Array) : null;
  const codes = seg.postingImpacts as Uint8Array;
  const lo = new Uint32Array(Q);
  const hi = new Uint32Array(Q);
  for (let q = 0; q < Q; q++) {
    lo[q] = termPairStart[query.termIndex[q]];
    hi[q] = termPairStart[query.termIndex[q] + 1];
  }
  const base = live.baseOrdinal;
  for (let bucket = BUCKETS - 1; bucket >= 0; bucket--) {
    const start = bucketStart[bucket];
    const end = bucketStart[bucket + 1];
    if (start === end) continue;
    // Every UB in this bucket (and below) is under (bucket + 1) / bucketOf; stop once that edge, widened
    // by a margin for the rounding of the bucket computation, is below the threshold.
    if (heap.full && ((bucket + 1) / bucketOf) * (1 + 1e-6) < heap.threshold) break;
    for (let i = start; i < end; i++) {
      const b = order[i];
      if (ub[b] < heap.threshold) continue;
      for (let q = 0; q < Q; q++) {
        const j = ptr[q * NB + b];
        if (j < lo[q] || j >= hi[q] || pairBlock[j] !== b) continue;
        const w = query.weight[q];
        const pEnd = pairPostingStart[j + 1];
        if (f32Impacts !== null) {
          for (let p = pairPostingStart[j]; p < pEnd; p++) acc[postingDocOffset[p]] += w * f32Impacts[p];
        } else {
          for (let p = pairPostingStart[j]; p < pEnd; p++) acc[postingDocOffset[p]] += w * u8Values![codes[p]];
        }
      }
      const first = b << shift;
      for (let d = 0; d < B; d++) {
        const s = acc[d];
        if (s === 0) continue;
        acc[d] = 0;
        if (s >= heap.threshold && !isDeleted(live.deleted, first + d)) heap.offer(s, base + first + d);
      }
    }
  }
}
