/**
 * Exact block-max pruning (BMP; Mallia, Suel & Tonellotto, "Faster Learned Sparse Retrieval with Block-Max
 * Pruning", SIGIR 2024) on the layout of segment.ts:
 *  1. Upper bounds for every block (block-bounds.ts).
 *  2. Phase A: blocks are visited in descending bound (counting sort into buckets) and scored exactly:
 *     each query term's postings in the block are added, in ascending term order, into B float64
 *     accumulators. Where they are is resolved per superblock on its first visit (≤ S pairs per term).
 *     Once the heap holds k documents, a block whose bound is below the k-th score is skipped; when a
 *     bucket's upper edge is, the search ends.
 *  3. Phase B: visiting blocks in bound order costs a cache miss per (block, term) — fine for the best
 *     few blocks, slower per posting than streaming when many remain. So after `seedBlocks` blocks (which
 *     set a threshold close to the final one) the blocks still in the running are scored together term at
 *     a time, streaming through each term's postings and skipping the others (block-max-phase-b.ts, with
 *     MaxScore's essential terms for long flat queries).
 * Exactness: bounds are upper bounds in floating point too (block-bounds.ts, quantization.ts); a block is
 * skipped only when its bound is strictly below the k-th score, so a document tying it is still scored and
 * the ordinal tie-break decides; the same holds for a threshold shared with threads searching other segments
 * of the query (top-k.ts `share`, synced every block: a lower bound on the index's k-th score); every scored
 * block sums all its query terms in float64 in ascending term order like sparse/ops.ts `dot`. So results equal the exhaustive scorer's exactly (property tests).
 * Shapes: Q query terms, NB blocks, NS superblocks, S blocks per superblock, B docs per block, C candidates.
 */
import type { TopK } from "./top-k.js";
import { u8ValueTable } from "./segment.js";
import { offerDocument, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";
import { blockBounds, unitLimit } from "./block-bounds.js";
import { phaseB } from "./block-max-phase-b.js";

/** Buckets of the counting sort over block bounds. */
const BUCKETS = 4096;

/** Phase A scores max(32, NB/256) blocks before phase B may start (measured: bench/search.ts). */
export function defaultSeedBlocks(blockCount: number): number {
  return Math.max(32, Math.ceil(blockCount / 256));
}

export function blockMaxSearchSegment(live: LiveSegment, query: SegmentQuery, heap: TopK, scratch: SearchScratch, seedBlocks?: number): void {
  const seg = live.segment;
  const NB = seg.blockCount;
  if (query.count === 0 || NB === 0) return;
  const bounds = blockBounds(seg, query, scratch);
  if (bounds === null) return;
  const { ub, maxUb } = bounds;
  heap.sync();

  // Counting sort of the blocks that can still contribute.
  const limit0 = unitLimit(bounds, heap.threshold);
  const bucketOf = (BUCKETS - 1) / maxUb;
  const bucketStart = new Uint32Array(BUCKETS + 1);
  for (let b = 0; b < NB; b++) if (ub[b] > 0 && ub[b] >= limit0) bucketStart[((ub[b] * bucketOf) | 0) + 1]++;
  for (let i = 0; i < BUCKETS; i++) bucketStart[i + 1] += bucketStart[i];
  const order = scratch.uint32(0, bucketStart[BUCKETS]);
  const fill = bucketStart.slice(0, BUCKETS);
  for (let b = 0; b < NB; b++) if (ub[b] > 0 && ub[b] >= limit0) order[fill[(ub[b] * bucketOf) | 0]++] = b;

  // Phase A.
  const Q = query.count;
  const S = seg.superblockSize;
  const { superPairStart, pairBlockOffset } = seg;
  const superPtr = bounds.superPtr;
  const resolved = scratch.int32(1, seg.superblockCount, 0); // [NS]
  const pairs = scratch.int32Unfilled(2, seg.superblockCount * S * Q); // [NS·S, Q] filled on demand
  const scored = scratch.int32(3, NB, 0); // [NB]
  const acc = new Float64Array(seg.blockSize); // [B]
  const u8Values = seg.impactKind === "u8" ? u8ValueTable(seg.impactScale) : null;
  const seeds = seedBlocks ?? defaultSeedBlocks(NB);
  let visited = 0;
  let bucket = BUCKETS - 1;
  for (; bucket >= 0; bucket--) {
    const start = bucketStart[bucket];
    const end = bucketStart[bucket + 1];
    if (start === end) continue;
    // Every bound in this bucket and below is under (bucket + 1) / bucketOf units (+1 for rounding).
    if ((bucket + 1) / bucketOf + 1 < unitLimit(bounds, heap.threshold)) return;
    if (visited >= seeds && heap.threshold > -Infinity) break;
    for (let i = start; i < end; i++) {
      const b = order[i];
      heap.sync();
      if (ub[b] < unitLimit(bounds, heap.threshold)) continue;
      const s = b >>> seg.superblockShift;
      if (resolved[s] === 0) {
        resolved[s] = 1;
        const first = s * S * Q;
        pairs.fill(-1, first, first + S * Q);
        for (let q = 0; q < Q; q++) {
          const sp = superPtr[s * Q + q];
          if (sp < 0) continue;
          for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) pairs[first + pairBlockOffset[j] * Q + q] = j;
        }
      }
      scoreBlock(live, b, pairs, b * Q, query, acc, u8Values, heap);
      scored[b] = 1;
      visited++;
    }
  }
  if (bucket >= 0) phaseB(live, query, bounds, scored, u8Values, heap, scratch);
}

/** Adds each query term's postings in block b (pair indices at pairs[row + q], −1 if absent) and offers the
 * block's documents. */
function scoreBlock(live: LiveSegment, b: number, pairs: Int32Array, row: number, query: SegmentQuery, acc: Float64Array, u8Values: Float32Array | null, heap: TopK): void {
  const seg = live.segment;
  const { pairPostingStart, postingDocOffset } = seg;
  const f32 = u8Values === null ? (seg.postingImpacts as Float32Array) : null;
  const codes = seg.postingImpacts as Uint8Array;
  for (let q = 0; q < query.count; q++) {
    const j = pairs[row + q];
    if (j < 0) continue;
    const w = query.weight[q];
    const end = pairPostingStart[j + 1];
    if (f32 !== null) for (let p = pairPostingStart[j]; p < end; p++) acc[postingDocOffset[p]] += w * f32[p];
    else for (let p = pairPostingStart[j]; p < end; p++) acc[postingDocOffset[p]] += w * u8Values![codes[p]];
  }
  const first = b << seg.blockShift;
  for (let d = 0; d < acc.length; d++) {
    const score = acc[d];
    if (score === 0) continue;
    acc[d] = 0;
    offerDocument(live, heap, first + d, score);
  }
}
