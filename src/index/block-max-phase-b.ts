/**
 * Phase B of block-max pruning (block-max-pruning.ts): the blocks still in the running after phase A are
 * scored term at a time, streaming through each term's postings and skipping the other blocks.
 *
 * Long queries with flat weights (SPLADE queries have tens of light expansion terms on common words) leave
 * most blocks in the running, because a block bound sums every term's block maximum. For them, MaxScore's
 * split (Turtle & Flood, "Query evaluation: strategies and optimizations", IP&M 1995) is applied per block:
 * the lightest terms whose maximum contributions sum below the threshold θ are *non-essential* — no
 * document reaches θ on them alone. Stage 1 accumulates the essential terms only; a block stays alive if
 * its best partial score plus the non-essential terms' block bound reaches θ. Stage 2 scores the alive
 * blocks with every term, in ascending term order, so that scores equal sparse/ops.ts `dot` bit for bit
 * (stage 1's partial sums only decide which blocks to skip, with the bounds' safety margin).
 * Shapes: Q query terms, NB blocks, C candidate blocks, B docs per block.
 */
import type { TopK } from "./top-k.js";
import { offerDocument, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";
import { unitLimit, type BlockBounds } from "./block-bounds.js";

/** Streams all postings (no skipping) when more than this fraction of blocks are candidates. */
const STREAM_ALL_FRACTION = 0.35;
/** Relative margin on the stage-1 pruning test (far above float64 rounding of partial sums). */
const MARGIN = 1e-9;

/** Scores every unscored block whose bound reaches the current threshold. */
export function phaseB(live: LiveSegment, query: SegmentQuery, bounds: BlockBounds, scored: Int32Array, u8Values: Float32Array | null, heap: TopK, scratch: SearchScratch): void {
  const seg = live.segment;
  const NB = seg.blockCount;
  const { ub } = bounds;
  const limit = unitLimit(bounds, heap.threshold);
  const candidates = scratch.uint32(1, NB);
  let C = 0;
  for (let b = 0; b < NB; b++) if (scored[b] === 0 && ub[b] > 0 && ub[b] >= limit) candidates[C++] = b;
  if (C === 0) return;
  const all = allTerms(query.count, scratch);
  const essential = essentialTerms(seg, query, heap.threshold, scratch);
  if (essential.length < query.count && heap.full) {
    // Stage 1: essential terms only, then the blocks that can still reach θ.
    const slots = assignSlots(seg, candidates, C, scratch);
    const acc = scratch.float64(3, slots.count * seg.blockSize);
    accumulate(seg, query, essential, slots, acc, u8Values);
    C = aliveBlocks(seg, query, bounds, essential, candidates, C, slots, acc, heap.threshold, scratch);
    if (C === 0) return;
  }
  const slots = assignSlots(seg, candidates, C, scratch);
  const acc = scratch.float64(3, slots.count * seg.blockSize);
  accumulate(seg, query, all, slots, acc, u8Values);
  let threshold = heap.threshold;
  const B = seg.blockSize;
  for (let c = 0; c < C; c++) {
    const first = candidates[c] << seg.blockShift;
    for (let d = 0, at = slots.slot[candidates[c]] * B; d < B; d++, at++) {
      const score = acc[at];
      if (score > 0 && score >= threshold) {
        offerDocument(live, heap, first + d, score);
        threshold = heap.threshold;
      }
    }
  }
}

interface Slots {
  readonly slot: Int32Array; // [NB] block → accumulator slot, or −1
  readonly inSuper: Int32Array; // [NS] 1 where a superblock holds a candidate
  readonly everything: boolean; // every block has a slot (its own number)
  readonly count: number; // slots
}

function assignSlots(seg: LiveSegment["segment"], candidates: Uint32Array, C: number, scratch: SearchScratch): Slots {
  const NB = seg.blockCount;
  // With most blocks in the running, skipping costs more than it saves: stream every posting.
  const everything = C > NB * STREAM_ALL_FRACTION;
  const slot = scratch.int32(4, NB, -1);
  const inSuper = scratch.int32(5, seg.superblockCount, 0);
  if (everything) for (let b = 0; b < NB; b++) slot[b] = b;
  for (let c = 0; c < C; c++) {
    if (!everything) slot[candidates[c]] = c;
    inSuper[candidates[c] >>> seg.superblockShift] = 1;
  }
  return { slot, inSuper, everything, count: everything ? NB : C };
}

function allTerms(Q: number, scratch: SearchScratch): Int32Array {
  const terms = scratch.int32Unfilled(10, Q).subarray(0, Q);
  for (let q = 0; q < Q; q++) terms[q] = q;
  return terms;
}

/**
 * The query terms (ascending) left after removing the lightest ones whose maximum contributions,
 * w_q · (largest block-max value of q), sum below θ.
 */
function essentialTerms(seg: LiveSegment["segment"], query: SegmentQuery, threshold: number, scratch: SearchScratch): Int32Array {
  const Q = query.count;
  const max = scratch.float64(5, Q);
  const byMax = scratch.int32Unfilled(11, Q).subarray(0, Q);
  for (let q = 0; q < Q; q++) {
    max[q] = query.weight[q] * Math.fround(255 * seg.termBlockMaxScale[query.termIndex[q]]);
    byMax[q] = q;
  }
  byMax.sort((a, b) => max[a] - max[b] || a - b);
  const rest = scratch.int32(12, Q, 0);
  let sum = 0;
  for (let i = 0; i < Q; i++) {
    sum += max[byMax[i]];
    if (!(sum * (1 + MARGIN) < threshold)) break;
    rest[byMax[i]] = 1;
  }
  const out = scratch.int32Unfilled(13, Q);
  let n = 0;
  for (let q = 0; q < Q; q++) if (rest[q] === 0) out[n++] = q;
  return out.subarray(0, n);
}

/** Adds the postings of `terms` (query positions, ascending) in slotted blocks into acc [slots, B]. */
function accumulate(seg: LiveSegment["segment"], query: SegmentQuery, terms: Int32Array, slots: Slots, acc: Float64Array, u8Values: Float32Array | null): void {
  const B = seg.blockSize;
  const superShift = seg.superblockShift;
  const { slot, inSuper, everything } = slots;
  const { termSuperStart, superBlock, superPairStart, pairBlockOffset, pairPostingStart, postingDocOffset } = seg;
  const f32 = u8Values === null ? (seg.postingImpacts as Float32Array) : null;
  const codes = seg.postingImpacts as Uint8Array;
  for (let i = 0; i < terms.length; i++) {
    const ti = query.termIndex[terms[i]];
    const w = query.weight[terms[i]];
    for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
      const s = superBlock[sp];
      if (!everything && inSuper[s] === 0) continue;
      const firstBlock = s << superShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) {
        const c = slot[firstBlock + pairBlockOffset[j]];
        if (c < 0) continue;
        const base = c * B;
        const end = pairPostingStart[j + 1];
        if (f32 !== null) for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * f32[p];
        else for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * u8Values![codes[p]];
      }
    }
  }
}

/**
 * Keeps (compacted at the front of `candidates`) the blocks whose best stage-1 partial score plus the
 * non-essential terms' block bound reaches θ; returns how many.
 */
function aliveBlocks(seg: LiveSegment["segment"], query: SegmentQuery, bounds: BlockBounds, essential: Int32Array, candidates: Uint32Array, C: number, slots: Slots, acc: Float64Array, threshold: number, scratch: SearchScratch): number {
  const B = seg.blockSize;
  const { termDenseRow, denseBlockMax, termSuperStart, superBlock, superPairStart, pairBlockOffset, pairBlockMax } = seg;
  const NB = seg.blockCount;
  const isEssential = scratch.int32(14, query.count, 0);
  for (let i = 0; i < essential.length; i++) isEssential[essential[i]] = 1;
  // Non-essential bound per candidate, in the units of block-bounds.ts (each term's code → units, rounded up).
  const rest = scratch.int32(15, slots.count, 0); // [slots]
  const table = scratch.int32Unfilled(16, 256);
  for (let q = 0; q < query.count; q++) {
    if (isEssential[q] === 1) continue;
    const ti = query.termIndex[q];
    const w = query.weight[q];
    const scale = seg.termBlockMaxScale[ti];
    table[0] = 0;
    for (let c = 1; c < 256; c++) table[c] = Math.floor((w * Math.fround(c * scale)) / bounds.unit) + 1;
    const row = termDenseRow[ti];
    if (row >= 0) {
      for (let c = 0; c < C; c++) rest[slots.slot[candidates[c]]] += table[denseBlockMax[row * NB + candidates[c]]];
      continue;
    }
    for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
      const s = superBlock[sp];
      if (slots.inSuper[s] === 0) continue;
      const firstBlock = s << seg.superblockShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) {
        const slot = slots.slot[firstBlock + pairBlockOffset[j]];
        if (slot >= 0) rest[slot] += table[pairBlockMax[j]];
      }
    }
  }
  let alive = 0;
  for (let c = 0; c < C; c++) {
    const at = slots.slot[candidates[c]];
    let best = 0;
    for (let d = 0, i = at * B; d < B; d++, i++) if (acc[i] > best) best = acc[i];
    if (best > 0 && (best + rest[at] * bounds.unit) * (1 + MARGIN) >= threshold) candidates[alive++] = candidates[c];
  }
  return alive;
}
