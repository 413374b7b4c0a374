/**
 * Exhaustive term-at-a-time scoring: every posting of every query term is added, streaming through each
 * term's contiguous postings, into a float64 accumulator per document ([N]); then every scored document is
 * offered to the heap. Exact by construction; the baseline the pruning algorithm is measured against
 * (bench/search.ts) and, with the brute-force oracle, tested against (test/index/algorithms.test.ts).
 * Terms are taken in ascending order, so each document's sum runs in the order of sparse/ops.ts `dot`.
 */
import type { TopK } from "./top-k.js";
import { u8ValueTable } from "./segment.js";
import { offerDocument, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";

export function exhaustiveSearchSegment(live: LiveSegment, query: SegmentQuery, heap: TopK, scratch: SearchScratch): void {
  const seg = live.segment;
  const N = seg.docCount;
  const acc = scratch.float64(0, N); // [N] by internal doc
  const { blockShift, superblockShift, termSuperStart, superBlock, superPairStart, pairBlockOffset, pairPostingStart, postingDocOffset } = seg;
  const u8Values = seg.impactKind === "u8" ? u8ValueTable(seg.impactScale) : null;
  for (let q = 0; q < query.count; q++) {
    const ti = query.termIndex[q];
    const w = query.weight[q];
    for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
      const firstBlock = superBlock[sp] << superblockShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) {
        const base = (firstBlock + pairBlockOffset[j]) << blockShift;
        const end = pairPostingStart[j + 1];
        if (u8Values === null) {
          const impacts = seg.postingImpacts as Float32Array;
          for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * impacts[p];
        } else {
          const codes = seg.postingImpacts as Uint8Array;
          for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * u8Values[codes[p]];
        }
      }
    }
  }
  for (let d = 0; d < N; d++) if (acc[d] > 0) offerDocument(live, heap, d, acc[d]);
}
