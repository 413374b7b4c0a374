/**
 * A query resolved against one segment: the query's terms that the segment holds, in ascending term order
 * (the order every algorithm sums in, so that scores equal sparse/ops.ts `dot` bit for bit), with their
 * positions in segment.termIds and their weights. Plus the per-thread scratch memory the algorithms reuse.
 */
import type { SparseVector } from "../sparse/vector.js";
import { findTerm, type Segment } from "./segment.js";
import type { TopK } from "./top-k.js";

/** A segment with its deletions and the ordinal of its first document (insertion order across segments). */
export interface LiveSegment {
  readonly segment: Segment;
  /** Bitset [ceil(N/32)] over insertion positions of deleted documents, or null. */
  readonly deleted: Uint32Array | null;
  readonly baseOrdinal: number;
}

export interface SegmentQuery {
  readonly count: number; // Q terms present in the segment
  readonly termIndex: Int32Array; // [Q] positions in segment.termIds
  readonly weight: Float64Array; // [Q] float32 query weights
}

export function resolveQuery(segment: Segment, query: SparseVector): SegmentQuery {
  const termIndex = new Int32Array(query.indices.length);
  const weight = new Float64Array(query.indices.length);
  const dense = termPositions(segment);
  let count = 0;
  for (let i = 0; i < query.indices.length; i++) {
    const w = query.values[i];
    if (w === 0) continue;
    const term = query.indices[i];
    const ti = dense === null ? findTerm(segment, term) : term < dense.length ? dense[term] : -1;
    if (ti < 0) continue;
    termIndex[count] = ti;
    weight[count++] = w;
  }
  return { count, termIndex, weight };
}

/** Dense term id → position maps (−1: absent), per segment whose term ids are below DENSE_TERM_IDS. */
const positions = new WeakMap<Segment, Int32Array | null>();
const DENSE_TERM_IDS = 1 << 20;

function termPositions(segment: Segment): Int32Array | null {
  let map = positions.get(segment);
  if (map === undefined) {
    const ids = segment.termIds;
    const T = ids.length;
    map = T > 0 && ids[T - 1] < DENSE_TERM_IDS ? new Int32Array(ids[T - 1] + 1).fill(-1) : null;
    if (map !== null) for (let i = 0; i < T; i++) map[ids[i]] = i;
    positions.set(segment, map);
  }
  return map;
}

export function isDeleted(deleted: Uint32Array | null, position: number): boolean {
  return deleted !== null && (deleted[position >>> 5] & (1 << (position & 31))) !== 0;
}

/** Offers internal document `doc` with score `score` (> 0) unless it is deleted or cannot enter. */
export function offerDocument(live: LiveSegment, heap: TopK, doc: number, score: number): void {
  if (score < heap.threshold) return;
  const position = live.segment.docRank[doc];
  if (isDeleted(live.deleted, position)) return;
  heap.offer(score, live.baseOrdinal + position);
}

/** Reusable buffers, one set per thread; grown on demand, never shrunk. */
export class SearchScratch {
  private readonly f64: Float64Array[] = [];
  private readonly i32: Int32Array[] = [];
  private readonly u32: Uint32Array[] = [];
  private readonly f64Clean: Float64Array[] = [];
  private readonly i32Clean: Int32Array[] = [];

  /** Zeroed float64 buffer number `slot` of at least n elements. */
  float64(slot: number, n: number): Float64Array {
    return this.float64Unfilled(slot, n).fill(0, 0, n);
  }

  /** Float64 buffer number `slot` (the float64 slots) of at least n elements, not cleared. */
  float64Unfilled(slot: number, n: number): Float64Array {
    const have = this.f64[slot];
    if (have === undefined || have.length < n) return (this.f64[slot] = new Float64Array(n));
    return have;
  }

  /**
   * Float64 buffer number `slot` of at least n elements that its user keeps all-zero between uses (it resets
   * what it wrote), so that handing it out costs nothing. Zeroed when allocated.
   */
  float64Zeroed(slot: number, n: number): Float64Array {
    const have = this.f64Clean[slot];
    if (have === undefined || have.length < n) return (this.f64Clean[slot] = new Float64Array(n));
    return have;
  }

  /** Int32 buffer number `slot` of at least n elements, all-zero between uses (as float64Zeroed). */
  int32Zeroed(slot: number, n: number): Int32Array {
    const have = this.i32Clean[slot];
    if (have === undefined || have.length < n) return (this.i32Clean[slot] = new Int32Array(n));
    return have;
  }

  /** Int32 buffer number `slot` of at least n elements, filled with `value` over [0, n). */
  int32(slot: number, n: number, value: number): Int32Array {
    return this.int32Unfilled(slot, n).fill(value, 0, n);
  }

  /** Int32 buffer number `slot` of at least n elements, not cleared (callers fill what they read). */
  int32Unfilled(slot: number, n: number): Int32Array {
    const have = this.i32[slot];
    if (have === undefined || have.length < n) return (this.i32[slot] = new Int32Array(n));
    return have;
  }

  /** Uint32 buffer number `slot` of at least n elements, not cleared. */
  uint32(slot: number, n: number): Uint32Array {
    const have = this.u32[slot];
    if (have === undefined || have.length < n) return (this.u32[slot] = new Uint32Array(n));
    return have;
  }
}
