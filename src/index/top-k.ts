/**
 * Bounded top-k collection with the library's deterministic order: score descending, then ordinal
 * (insertion order: the document's position in the index) ascending. A binary min-heap keeps the current
 * worst of the best k at its root, so a candidate costs O(1) to reject and O(log k) to admit. Algorithms
 * that visit documents out of order (block-max pruning visits blocks by bound) still produce exactly the
 * brute-force list because ties are decided by ordinal, never by visit order.
 *
 * Shapes: K = k. Scores are float64 (see sparse/ops.ts for how they are computed).
 */
import { check } from "../util/errors.js";

export interface ScoredOrdinal {
  readonly ordinal: number;
  readonly score: number;
}

export class TopK {
  readonly k: number;
  private readonly scores: Float64Array; // [K] heap-ordered
  private readonly ordinals: Float64Array; // [K]
  private count = 0;

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

  /** The score a candidate must reach (ties then go by ordinal); -Infinity while the heap is not full. */
  get threshold(): number {
    return this.count === this.k ? this.scores[0] : -Infinity;
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
