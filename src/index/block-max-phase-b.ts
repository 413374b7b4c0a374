/**
 * Phase B of block-max pruning (block-max-pruning.ts): the blocks still in the running after phase A are
 * scored term at a time, streaming through each term's postings and skipping the other blocks.
 *
 * Long queries with flat weights (SPLADE queries have tens of light expansion terms on common words) leave
 * most blocks in the running, because a block bound sums every term's block maximum. For them, MaxScore's
 * split (Turtle & Flood, "Query evaluation: strategies and optimizations", IP&M 1995) is applied per block:
 * the lightest terms whose maximum contributions sum below the threshold θ are *non-essential* — no
 * document reaches θ on them alone. Stage 1 accumulates the essential terms only, heaviest first, and every
 * two terms drops the blocks whose best partial score plus the block bound of the terms not yet added is
 * below θ (ub − the units added so far), so later terms stream through fewer blocks (on the 1M benchmark
 * ~950 candidate blocks end as ~8); a block stays alive if its best partial score plus the non-essential
 * terms' block bound reaches θ. Stage 2 scores the alive blocks with every term, in ascending term order,
 * so that scores equal sparse/ops.ts `dot` bit for bit (stage 1's partial sums only decide which blocks to
 * skip, with the bounds' safety margin).
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
  heap.sync();
  const limit = unitLimit(bounds, heap.threshold);
  const candidates = scratch.uint32(1, NB);
  let C = 0;
  for (let b = 0; b < NB; b++) if (scored[b] === 0 && ub[b] > 0 && ub[b] >= limit) candidates[C++] = b;
  if (C === 0) return;
  const all = allTerms(query.count, scratch);
  const essential = essentialTerms(seg, query, heap.threshold, scratch);
  if (essential.length < query.count && heap.threshold > -Infinity) {
    // Stage 1: essential terms only, heaviest first, dropping blocks that can no longer reach θ.
    const slots = assignSlots(seg, candidates, C, scratch, false);
    const acc = scratch.float64(3, slots.count * seg.blockSize);
    C = essentialPass(seg, query, bounds, essential, candidates, C, slots, acc, u8Values, heap, scratch);
    if (C === 0) return;
  }
  const slots = assignSlots(seg, candidates, C, scratch);
  const acc = scratch.float64(3, slots.count * seg.blockSize);
  accumulate(seg, query, all, slots, acc, u8Values);
  const B = seg.blockSize;
  for (let c = 0; c < C; c++) {
    heap.sync();
    let threshold = heap.threshold;
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

function assignSlots(seg: LiveSegment["segment"], candidates: Uint32Array, C: number, scratch: SearchScratch, mayStream = true): Slots {
  const NB = seg.blockCount;
  // With most blocks in the running, skipping costs more than it saves: stream every posting.
  const everything = mayStream && C > NB * STREAM_ALL_FRACTION;
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

/** Essential terms between two pruning checks of stage 1. */
const CHECK_EVERY = 2;

/**
 * Stage 1 (θ: the heap's threshold, re-read at each check): accumulates the essential terms (heaviest maximum
 * first) into acc, tracking per slot the units of block bound already accumulated (`done`, the same code →
 * units tables as block-bounds.ts, so ub − done bounds the terms not yet added). Every CHECK_EVERY terms, and
 * after the last, keeps (compacted at the front of `candidates`) the blocks whose best partial score plus
 * that remaining bound reaches θ; returns how many. After the last essential term a block also needs a
 * positive partial score: the non-essential terms alone sum below θ.
 */
function essentialPass(seg: LiveSegment["segment"], query: SegmentQuery, bounds: BlockBounds, essential: Int32Array, candidates: Uint32Array, C: number, slots: Slots, acc: Float64Array, u8Values: Float32Array | null, heap: TopK, scratch: SearchScratch): number {
  const B = seg.blockSize;
  const superShift = seg.superblockShift;
  const { slot, inSuper } = slots;
  const { ub, table, unit } = bounds;
  const { termSuperStart, superBlock, superPairStart, pairBlockOffset, pairBlockMax, pairPostingStart, postingDocOffset } = seg;
  const f32 = u8Values === null ? (seg.postingImpacts as Float32Array) : null;
  const codes = seg.postingImpacts as Uint8Array;
  const E = essential.length;
  const max = scratch.float64(5, query.count);
  const order = scratch.int32Unfilled(17, E).subarray(0, E);
  for (let i = 0; i < E; i++) {
    const q = essential[i];
    max[q] = query.weight[q] * Math.fround(255 * seg.termBlockMaxScale[query.termIndex[q]]);
    order[i] = q;
  }
  order.sort((a, b) => max[b] - max[a] || a - b);
  const done = scratch.int32(15, slots.count, 0); // [slots] units
  for (let i = 0; i < E; i++) {
    const q = order[i];
    const ti = query.termIndex[q];
    const w = query.weight[q];
    const row = q * 256;
    for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
      const s = superBlock[sp];
      if (inSuper[s] === 0) continue;
      const firstBlock = s << superShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) {
        const c = slot[firstBlock + pairBlockOffset[j]];
        if (c < 0) continue;
        done[c] += table[row + pairBlockMax[j]];
        const base = c * B;
        const end = pairPostingStart[j + 1];
        if (f32 !== null) for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * f32[p];
        else for (let p = pairPostingStart[j]; p < end; p++) acc[base + postingDocOffset[p]] += w * u8Values![codes[p]];
      }
    }
    const last = i === E - 1;
    if (!last && (i + 1) % CHECK_EVERY !== 0) continue;
    heap.sync(); // θ only rises (a floor shared with other threads: top-k.ts)
    const threshold = heap.threshold;
    let alive = 0;
    for (let k = 0; k < C; k++) {
      const b = candidates[k];
      const at = slot[b];
      let best = 0;
      for (let d = 0, x = at * B; d < B; d++, x++) if (acc[x] > best) best = acc[x];
      if ((best > 0 || !last) && (best + (ub[b] - done[at]) * unit) * (1 + MARGIN) >= threshold) candidates[alive++] = b;
      else slot[b] = -1;
    }
    C = alive;
    if (C === 0) return 0;
    if (last) break;
    inSuper.fill(0);
    for (let k = 0; k < C; k++) inSuper[candidates[k] >>> superShift] = 1;
  }
  return C;
}
