/**
 * Bounded top-k collection with the library's deterministic order: score descending, then ordinal
 * (insertion order: the document's position in the index) ascending. A binary min-heap keeps the current
 * worst of the best k at its root, so a candidate costs O(1) to reject and O(log k) to admit. Algorithms
 * that visit documents out of order (block-max pruning visits blocks by bound) still produce exactly the
 * brute-force list because ties are decided by ordinal, never by visit order.
 *
 * A heap may also know a lower bound on the k-th score from elsewhere (`share`: the other threads searching
 * other segments of the same query, shared-floor.ts); its threshold is then the larger of the two.
 *
 * Shapes: K = k. Scores are float64 (see sparse/ops.ts for how they are computed).
 */
import { check } from "../util/errors.js";
import type { SharedFloor } from "./shared-floor.js";

export interface ScoredOrdinal {
  readonly ordinal: number;
  readonly score: number;
}

export class TopK {
  readonly k: number;
  private readonly scores: Float64Array; // [K] heap-ordered
  private readonly ordinals: Float64Array; // [K]
  private count = 0;
  private floor = -Infinity;
  private shared: SharedFloor | null = null;
  private published = -Infinity;

  constructor(k: number) {
    check(Number.isInteger(k) && k >= 1, `top-k: k must be a positive integer, got ${k}`);
    this.k = k;
    this.scores = new Float64Array(k);
    this.ordinals = new Float64Array(k);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.k;
  }

  /**
   * The score a candidate must reach (ties then go by ordinal): the k-th score collected, or the shared floor
   * if higher; -Infinity while neither is known. Callers skip only candidates strictly below it.
   */
  get threshold(): number {
    const own = this.count === this.k ? this.scores[0] : -Infinity;
    return own > this.floor ? own : this.floor;
  }

  /** Links this heap to a floor shared with heaps over other documents of the same query (shared-floor.ts). */
  share(floor: SharedFloor): void {
    this.shared = floor;
    this.sync();
  }

  /**
   * Publishes this heap's k-th score if it rose since the last call, and raises the floor to the largest
   * value the other heaps published. Searches call it at coarse points (a block, a cluster); a no-op unshared.
   */
  sync(): void {
    const shared = this.shared;
    if (shared === null) return;
    if (this.count === this.k && this.scores[0] > this.published) shared.publish((this.published = this.scores[0]));
    const other = shared.read();
    if (other > this.floor) this.floor = other;
  }

  /** Offers a candidate; returns whether it was admitted. */
  offer(score: number, ordinal: number): boolean {
    const scores = this.scores;
    const ordinals = this.ordinals;
    if (this.count < this.k) {
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, ordinal, scores[parent], ordinals[parent])) break;
        scores[i] = scores[parent];
        ordinals[i] = ordinals[parent];
        i = parent;
      }
      scores[i] = score;
      ordinals[i] = ordinal;
      return true;
    }
    if (!worse(scores[0], ordinals[0], score, ordinal)) return false;
    this.siftDownFromRoot(score, ordinal);
    return true;
  }

  /** The collected entries, in no particular order. */
  entries(): ScoredOrdinal[] {
    const out: ScoredOrdinal[] = [];
    for (let i = 0; i < this.count; i++) out.push({ ordinal: this.ordinals[i], score: this.scores[i] });
    return out;
  }

  /** The collected entries, best first. */
  sorted(): ScoredOrdinal[] {
    const out: ScoredOrdinal[] = [];
    for (let i = 0; i < this.count; i++) out.push({ ordinal: this.ordinals[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
  }

  private siftDownFromRoot(score: number, ordinal: number): void {
    const scores = this.scores;
    const ordinals = this.ordinals;
    const n = this.count;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let child = left;
      const right = left + 1;
      if (right < n && worse(scores[right], ordinals[right], scores[left], ordinals[left])) child = right;
      if (!worse(scores[child], ordinals[child], score, ordinal)) break;
      scores[i] = scores[child];
      ordinals[i] = ordinals[child];
      i = child;
    }
    scores[i] = score;
    ordinals[i] = ordinal;
  }
}

/** Whether (sa, oa) ranks below (sb, ob): lower score, or equal score and later ordinal. */
function worse(sa: number, oa: number, sb: number, ob: number): boolean {
  return sa < sb || (sa === sb && oa > ob);
}
