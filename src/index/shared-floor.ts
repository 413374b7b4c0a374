/**
 * A lower bound on one query's k-th best score, shared between threads that search disjoint parts of one
 * index (SearchPool.searchSplit, intra-query parallelism): each thread publishes its own heap's k-th score as
 * it rises and reads the largest value published, which it then prunes below as it prunes below its own.
 *
 * Exactness: the k documents behind a published value are in the index too, so the index's k-th score is at
 * least that value, and a document scoring strictly below it cannot be in the top-k. One tying it can (ties go
 * by ordinal, top-k.ts), so users prune strictly below, as they do with their own k-th score.
 *
 * Encoding: Atomics work on integer arrays only, so a value is kept as the bits of a float32 rounded down (so
 * still a lower bound; ~6e-8 relative, nothing for pruning). Positive float32 bit patterns order as int32 like
 * the values, so a compare-and-swap loop keeps the largest, lock-free. A cell of 0 means nothing published yet.
 */

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);

export class SharedFloor {
  /** cells: an Int32Array over a SharedArrayBuffer; cell: this query's slot in it (0 before the search). */
  constructor(
    private readonly cells: Int32Array,
    private readonly cell: number,
  ) {}

  /** Raises the shared value to `score` (rounded down to a float32) if it is higher. */
  publish(score: number): void {
    if (!(score > 0)) return;
    f32[0] = score;
    if (f32[0] > score) bits[0]--; // the next float32 down
    const b = bits[0];
    // Atomics has no max: compare-and-swap until the cell holds b or more.
    for (let seen = Atomics.load(this.cells, this.cell); b > seen; ) {
      const was = Atomics.compareExchange(this.cells, this.cell, seen, b);
      if (was === seen) break;
      seen = was;
    }
  }

  /** The largest value published so far, or -Infinity when none. */
  read(): number {
    const b = Atomics.load(this.cells, this.cell);
    if (b <= 0) return -Infinity;
    bits[0] = b;
    return f32[0];
  }
}

/** The shared floors of one split query: the heap of the final top-k, and approximate search's candidate pool. */
export interface SharedFloors {
  readonly heap: SharedFloor;
  readonly pool: SharedFloor;
}

/** The floors of the query whose pair of cells starts at `first` (heap, then pool). */
export function sharedFloors(cells: Int32Array, first: number): SharedFloors {
  return { heap: new SharedFloor(cells, first), pool: new SharedFloor(cells, first + 1) };
}
