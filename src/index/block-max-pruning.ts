/**
 * Exact block-max pruning (BMP; Mallia, Suel & Tonellotto, "Faster Learned Sparse Retrieval with Block-Max
 * Pruning", SIGIR 2024) on the layout of segment.ts:
 *  1. Block bounds UB[b] = Σ_q w_q · blockmax_q(b) for every block: a sequential pass over the dense u8 row
 *     of each frequent query term, a pass over the pairs of each rare one. The same pass records where each
 *     query term's pairs start in each superblock ([NS, Q] pointers).
 *  2. Blocks with a chance are visited in descending UB (counting sort into buckets). A block is scored
 *     exactly: each query term's postings in it are added, in ascending term order, into B float64
 *     accumulators. Where those postings are is resolved per superblock, on its first visit, from the
 *     term's superpair (one pass over ≤ S pairs per term), so a block costs O(Q + its postings).
 *  3. Once the heap holds k documents, a block whose UB is below the k-th score is skipped; when a whole
 *     bucket's upper edge is below it, the search ends.
 *  4. Phase B. Visiting blocks in bound order costs a cache miss per (block, term): fine for the few best
 *     blocks, slower per posting than streaming when many blocks remain. So after a seed of blocks (which
 *     sets a good threshold), the blocks still in the running are scored together term at a time, streaming
 *     through each term's postings and skipping the others (same arithmetic, same order: still exact).
 *
 * Exactness: block maxima are rounded up (quantization.ts); weights are non-negative; bounds and scores are
 * summed in float64 in the same ascending term order (absent terms add +0); float rounding is monotone. So
 * UB[b] ≥ score(d) for every d in b in floating point, not just in exact arithmetic. Skipping needs
 * UB < threshold strictly, so a document tying the k-th score is still scored and the ordinal tie-break
 * decides: the result equals the exhaustive scorer's exactly (property tests).
 *
 * Shapes: Q query terms, NB blocks, NS superblocks, S blocks per superblock, B docs per block.
 */
import type { TopK } from "./top-k.js";
import { u8ValueTable } from "./segment.js";
import { offerDocument, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";

/** Buckets of the counting sort over block bounds. */
const BUCKETS = 4096;
/** Phase A scores at least this many blocks, or this fraction of all blocks, before phase B may start. */
const MIN_SEED_BLOCKS = 32;
const SEED_FRACTION = 1 / 256;

export function blockMaxSearchSegment(live: LiveSegment, query: SegmentQuery, heap: TopK, scratch: SearchScratch): void {
  const seg = live.segment;
  const NB = seg.blockCount;
  const NS = seg.superblockCount;
  const Q = query.count;
  if (Q === 0 || NB === 0) return;
  const { termSuperStart, superBlock, superPairStart, pairBlockOffset, pairBlockMax, termDenseRow, denseBlockMax } = seg;
  const superShift = seg.superblockShift;

  // 1. Block bounds, and each term's superpair per superblock.
  const ub = scratch.float64(0, NB); // [NB]
  const superPtr = scratch.int32(0, NS * Q, -1); // [NS, Q]
  const bound = new Float64Array(256); // code → w_q · fround(code · scale_q); bound[0] = 0
  for (let q = 0; q < Q; q++) {
    const ti = query.termIndex[q];
    const w = query.weight[q];
    const scale = seg.termBlockMaxScale[ti];
    for (let c = 1; c < 256; c++) bound[c] = w * Math.fround(c * scale);
    const row = termDenseRow[ti];
    if (row >= 0) {
      const base = row * NB;
      for (let b = 0; b < NB; b++) ub[b] += bound[denseBlockMax[base + b]];
      for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) superPtr[superBlock[sp] * Q + q] = sp;
    } else {
      for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
        const s = superBlock[sp];
        superPtr[s * Q + q] = sp;
        const firstBlock = s << superShift;
        for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) ub[firstBlock + pairBlockOffset[j]] += bound[pairBlockMax[j]];
      }
    }
  }
  let maxUb = 0;
  for (let b = 0; b < NB; b++) if (ub[b] > maxUb) maxUb = ub[b];
  if (maxUb === 0) return;

  // 2. Counting sort of the blocks that can still contribute.
  const threshold0 = heap.threshold;
  const bucketOf = (BUCKETS - 1) / maxUb;
  const bucketStart = new Uint32Array(BUCKETS + 1);
  for (let b = 0; b < NB; b++) {
    const u = ub[b];
    if (u > 0 && u >= threshold0) bucketStart[((u * bucketOf) | 0) + 1]++;
  }
  for (let i = 0; i < BUCKETS; i++) bucketStart[i + 1] += bucketStart[i];
  const order = scratch.uint32(0, bucketStart[BUCKETS]);
  const fill = bucketStart.slice(0, BUCKETS);
  for (let b = 0; b < NB; b++) {
    const u = ub[b];
    if (u > 0 && u >= threshold0) order[fill[(u * bucketOf) | 0]++] = b;
  }

  // 3. Phase A, block at a time: blocks from the highest bucket down. The first visit to a superblock
  //    resolves, for each of its S blocks and each query term, the pair holding the term's postings there.
  const S = seg.superblockSize;
  const resolved = scratch.int32(1, NS, 0); // [NS] 1 once the superblock's pair table is filled
  const pairs = scratch.int32Unfilled(2, NS * S * Q); // [NS·S, Q] filled per superblock on demand
  const scored = scratch.int32(3, NB, 0); // [NB] 1 once scored
  const acc = new Float64Array(seg.blockSize); // [B]
  const u8Values = seg.impactKind === "u8" ? u8ValueTable(seg.impactScale) : null;
  const seedBlocks = Math.max(MIN_SEED_BLOCKS, Math.ceil(NB * SEED_FRACTION));
  let visited = 0;
  let bucket = BUCKETS - 1;
  let i = bucketStart[bucket];
  for (; bucket >= 0; bucket--, i = bucketStart[bucket]) {
    const end = bucketStart[bucket + 1];
    if (i === end) continue;
    // Every bound in this bucket and below is under (bucket + 1) / bucketOf; the margin covers the rounding
    // of the bucket computation.
    if (heap.full && ((bucket + 1) / bucketOf) * (1 + 1e-6) < heap.threshold) return;
    if (visited >= seedBlocks && heap.full) break;
    for (; i < end; i++) {
      const b = order[i];
      if (ub[b] < heap.threshold) continue;
      const s = b >>> superShift;
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
  if (bucket < 0) return;

  // 4. Phase B, term at a time over the blocks still in the running (UB ≥ the threshold reached in phase A,
  //    a lower bound of the final one): each query term's pairs are streamed in storage order, skipping
  //    superblocks and blocks out of the running, into per-candidate-block accumulators. Exact for the same
  //    reasons: every candidate block is scored completely, in ascending term order.
  const threshold = heap.threshold;
  const slot = scratch.int32(4, NB, -1); // [NB] candidate block → accumulator slot
  const inSuper = scratch.int32(5, NS, 0); // [NS] 1 if the superblock holds a candidate block
  const candidates = scratch.uint32(1, NB);
  let C = 0;
  for (let b = 0; b < NB; b++) {
    if (scored[b] === 0 && ub[b] > 0 && ub[b] >= threshold) {
      slot[b] = C;
      candidates[C++] = b;
      inSuper[b >>> superShift] = 1;
    }
  }
  const B = seg.blockSize;
  const candidateAcc = scratch.float64(3, C * B); // [C, B]
  const { pairPostingStart, postingDocOffset } = seg;
  for (let q = 0; q < Q; q++) {
    const ti = query.termIndex[q];
    const w = query.weight[q];
    for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
      const s = superBlock[sp];
      if (inSuper[s] === 0) continue;
      const firstBlock = s << superShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) {
        const c = slot[firstBlock + pairBlockOffset[j]];
        if (c < 0) continue;
        const base = c * B;
        const end = pairPostingStart[j + 1];
        if (u8Values === null) {
          const impacts = seg.postingImpacts as Float32Array;
          for (let p = pairPostingStart[j]; p < end; p++) candidateAcc[base + postingDocOffset[p]] += w * impacts[p];
        } else {
          const codes = seg.postingImpacts as Uint8Array;
          for (let p = pairPostingStart[j]; p < end; p++) candidateAcc[base + postingDocOffset[p]] += w * u8Values[codes[p]];
        }
      }
    }
  }
  for (let c = 0; c < C; c++) {
    const first = candidates[c] << seg.blockShift;
    for (let d = 0; d < B; d++) {
      const score = candidateAcc[c * B + d];
      if (score > 0) offerDocument(live, heap, first + d, score);
    }
  }
}

/** Adds each query term's postings in block b (pair indices at pairs[row + q], −1 if absent) and offers the
 * block's documents. */
function scoreBlock(
  live: LiveSegment,
  b: number,
  pairs: Int32Array,
  row: number,
  query: SegmentQuery,
  acc: Float64Array,
  u8Values: Float32Array | null,
  heap: TopK,
): void {
  const seg = live.segment;
  const { pairPostingStart, postingDocOffset } = seg;
  for (let q = 0; q < query.count; q++) {
    const j = pairs[row + q];
    if (j < 0) continue;
    const w = query.weight[q];
    const end = pairPostingStart[j + 1];
    if (u8Values === null) {
      const impacts = seg.postingImpacts as Float32Array;
      for (let p = pairPostingStart[j]; p < end; p++) acc[postingDocOffset[p]] += w * impacts[p];
    } else {
      const codes = seg.postingImpacts as Uint8Array;
      for (let p = pairPostingStart[j]; p < end; p++) acc[postingDocOffset[p]] += w * u8Values[codes[p]];
    }
  }
  const first = b << seg.blockShift;
  for (let d = 0; d < acc.length; d++) {
    const score = acc[d];
    if (score === 0) continue;
    acc[d] = 0;
    offerDocument(live, heap, first + d, score);
  }
}
