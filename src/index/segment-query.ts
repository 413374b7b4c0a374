/**
 * A query resolved against one segment: the query's terms that the segment holds, in ascending term order
 * (the order every algorithm sums in, so that scores equal sparse/ops.ts `dot` bit for bit), with their
 * positions in segment.termIds and their weights. Plus the per-thread scratch memory the algorithms reuse.
 */
import type { SparseVector } from "../sparse/vector.js";
import { findTerm, type Segment } from "./segment.js";

/** A segment with its deletions and the ordinal of its first document (insertion order across segments). */
export interface LiveSegment {
  readonly segment: Segment;
  /** Bitset [ceil(N/32)] of deleted documents, or null. */
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
  let count = 0;
  for (let i = 0; i < query.indices.length; i++) {
    const w = query.values[i];
    if (w === 0) continue;
    const ti = findTerm(segment, query.indices[i]);
    if (ti < 0) continue;
    termIndex[count] = ti;
    weight[count++] = w;
  }
  return { count, termIndex, weight };
}

export function isDeleted(deleted: Uint32Array | null, doc: number): boolean {
  return deleted !== null && (deleted[doc >>> 5] & (1 << (doc & 31))) !== 0;
}

/** Reusable buffers, one set per thread; grown on demand, never shrunk. */
export class SearchScratch {
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);
  private f64b = new Float64Array(0);
  private u32 = new Uint32Array(0);

  /** Zeroed float64 buffer of at least n elements (accumulators). */
  accumulators(n: number): Float64Array {
    if (this.f64.length < n) this.f64 = new Float64Array(n);
    else this.f64.fill(0, 0, n);
    return this.f64;
  }

  /** Zeroed second float64 buffer (block upper bounds). */
  bounds(n: number): Float64Array {
    if (this.f64b.length < n) this.f64b = new Float64Array(n);
    else this.f64b.fill(0, 0, n);
    return this.f64b;
  }

  /** Int32 buffer of at least n elements, *not* cleared (callers validate what they read). */
  pointers(n: number): Int32Array {
    if (this.i32.length < n) this.i32 = new Int32Array(n);
    return this.i32;
  }

  /** Uint32 buffer of at least n elements, not cleared. */
  order(n: number): Uint32Array {
    if (this.u32.length < n) this.u32 = new Uint32Array(n);
    return this.u32;
  }
}
