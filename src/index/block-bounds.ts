/**
 * Block upper bounds for block-max pruning (block-max-pruning.ts), in integer units:
 *   UB[b] · unit ≥ Σ_q w_q · blockmax_q(b)      for every block b of the segment.
 * A term's bound for block-max code c, w_q · fround(c · scale_q), becomes floor(that / unit) + 1 units
 * (≥ it); the unit is chosen so that no sum can pass 2^31, and integer sums are exact in any order, which
 * lets the dense rows of frequent terms be summed four at a time in one sequential pass over NB blocks
 * (as the BMP paper's dense block-max matrix). Rare terms add through their (term, block) pairs.
 * The same pass records, per superblock and query term, the term's superpair ([NS, Q], −1 if absent).
 * Shapes: Q query terms, NB blocks, NS superblocks.
 */
import type { Segment } from "./segment.js";
import type { SearchScratch, SegmentQuery } from "./segment-query.js";

export interface BlockBounds {
  readonly ub: Int32Array; // [NB] units
  readonly maxUb: number;
  readonly unit: number;
  readonly superPtr: Int32Array; // [NS, Q]
  readonly table: Int32Array; // [Q, 256] block-max code → units, per query term
}

/** Relative margin on unit conversions (far above float64 rounding of the conversions and of score sums). */
const MARGIN = 1e-9;

/** Blocks whose bound in units is below this cannot reach `threshold`. */
export function unitLimit(bounds: BlockBounds, threshold: number): number {
  return threshold / (bounds.unit * (1 + MARGIN));
}

export function blockBounds(seg: Segment, query: SegmentQuery, scratch: SearchScratch): BlockBounds | null {
  const NB = seg.blockCount;
  const Q = query.count;
  const { termSuperStart, superBlock, superPairStart, pairBlockOffset, pairBlockMax, termDenseRow, denseBlockMax } = seg;
  const superShift = seg.superblockShift;
  let total = 0;
  for (let q = 0; q < Q; q++) total += query.weight[q] * Math.fround(255 * seg.termBlockMaxScale[query.termIndex[q]]);
  if (!(total > 0)) return null;
  const unit = total / 2 ** 30;
  const ub = scratch.int32(6, NB, 0);
  const superPtr = scratch.int32(0, seg.superblockCount * Q, -1);
  const bounds = scratch.int32(7, Q * 256, 0); // [Q, 256] code → units; code 0 → 0
  const dense: number[] = [];
  for (let q = 0; q < Q; q++) {
    const ti = query.termIndex[q];
    const w = query.weight[q];
    const scale = seg.termBlockMaxScale[ti];
    const bound = q * 256;
    for (let c = 1; c < 256; c++) bounds[bound + c] = Math.floor((w * Math.fround(c * scale)) / unit) + 1;
    const sparse = termDenseRow[ti] < 0;
    if (!sparse) dense.push(q);
    for (let sp = termSuperStart[ti]; sp < termSuperStart[ti + 1]; sp++) {
      const s = superBlock[sp];
      superPtr[s * Q + q] = sp;
      if (!sparse) continue;
      const firstBlock = s << superShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) ub[firstBlock + pairBlockOffset[j]] += bounds[bound + pairBlockMax[j]];
    }
  }
  const rowOf = (i: number) => termDenseRow[query.termIndex[dense[i]]] * NB;
  let i = 0;
  for (; i + 4 <= dense.length; i += 4) {
    const r0 = rowOf(i), r1 = rowOf(i + 1), r2 = rowOf(i + 2), r3 = rowOf(i + 3);
    const b0 = dense[i] * 256, b1 = dense[i + 1] * 256, b2 = dense[i + 2] * 256, b3 = dense[i + 3] * 256;
    for (let b = 0; b < NB; b++) {
      ub[b] += bounds[b0 + denseBlockMax[r0 + b]] + bounds[b1 + denseBlockMax[r1 + b]] + bounds[b2 + denseBlockMax[r2 + b]] + bounds[b3 + denseBlockMax[r3 + b]];
    }
  }
  for (; i < dense.length; i++) {
    const r = rowOf(i);
    const bound = dense[i] * 256;
    for (let b = 0; b < NB; b++) ub[b] += bounds[bound + denseBlockMax[r + b]];
  }
  let maxUb = 0;
  for (let b = 0; b < NB; b++) if (ub[b] > maxUb) maxUb = ub[b];
  return maxUb === 0 ? null : { ub, maxUb, unit, superPtr, table: bounds };
}
