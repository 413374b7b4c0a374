/**
 * Exhaustive term-at-a-time scoring: every posting of every query term is added into a float64 accumulator
 * per document ([N]), then the top k are selected. Exact by construction; the baseline every pruning
 * algorithm is measured against (bench/search.ts) and tested against (test/index/algorithms.test.ts).
 */
import type { TopK } from "./top-k.js";
import { u8ValueTable } from "./segment.js";
import { isDeleted, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";

export function exhaustiveSearchSegment(live: LiveSegment, query: SegmentQuery, heap: TopK, scratch: SearchScratch): void {
  const seg = live.segment;
  const N = seg.docCount;
  const acc = scratch.accumulators(N); // [N]
  const shift = seg.blockShift;
  const { termPairStart, pairBlock, pairPostingStart, postingDocOffset } = seg;
  const u8Values = seg.impactKind === "u8" ? u8ValueTable(seg.impactScale) : null;
  for (let q = 0; q < query.count; q++) {
    const ti = query.termIndex[q];
    const w = query.weight[q];
    const lo = termPairStart[ti];
    const hi = termPairStart[ti + 1];
    if (u8Values === null) {
      const impacts = seg.postingImpacts as Float32Array;
      for (let j = lo; j < hi; j++) {
        const base = pairBlock[j] << shift;
        const end = pairPostingStart[j + 1];
        for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * impacts[p];
      }
    } else {
      const codes = seg.postingImpacts as Uint8Array;
      for (let j = lo; j < hi; j++) {
        const base = pairBlock[j] << shift;
        const end = pairPostingStart[j + 1];
        for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * u8Values[codes[p]];
      }
    }
  }
  const base = live.baseOrdinal;
  for (let d = 0; d < N; d++) {
    const s = acc[d];
    if (s > 0 && s >= heap.threshold && !isDeleted(live.deleted, d)) heap.offer(s, base + d);
  }
}
