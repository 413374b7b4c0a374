/**
 * Approximate top-k (Seismic's query algorithm; Bruch, Nardini, Rulli & Venturini, SIGIR 2024) over the
 * structures of forward-index.ts and clustered-lists.ts, then exact rescoring (exact-rescore.ts):
 *  1. Only the `queryTerms` heaviest query terms have their (pruned, clustered) lists visited (Seismic
 *     `query_cut`), in every segment.
 *  2. The query's dot product with the summary of every cluster of those lists is computed first
 *     (cluster-order.ts), and the clusters of all lists and all segments are visited best summary first.
 *     A cluster whose summary score is below `heapFactor` × the current k-th score is skipped (Seismic
 *     `heap_factor`), and the visit ends at the first bucket of scores that is; otherwise each of its
 *     documents not seen yet is scored against the query from the forward index (u8 codes, the first
 *     `docTerms` of the document, heaviest first). Seismic visits each list in list order; one order
 *     across lists and segments raises the threshold fastest, so that at 95 % recall@10 fewer documents are
 *     scored, and a segment's lists are not visited in full before the next segment's best clusters.
 *  3. The `rescore` · k best documents by that approximate score are scored exactly from the postings (but
 *     those that bounds from their whole forward document rule out: candidate-bounds.ts), and
 *     the k best of them by exact score are returned: scores are exact dot products (equal to brute force
 *     for the documents found); only the candidate set is approximate.
 * With `shared` (the other threads searching other segments of the query: shared-floor.ts), both heaps prune
 * below the largest k-th (and rescore·k-th) approximate score of any thread, as one thread over all segments
 * would prune below its own. Deleted documents are never scored. One pair of heaps spans all segments. Keys
 * in the heaps are segment base + internal document (rescoring maps them back to insertion ordinals, the
 * tie-break of the final list).
 * Shapes: Q query terms, T terms, n clusters visited in all, N documents of a segment.
 */
import { SpladeError } from "../util/errors.js";
import { TopK, type ScoredOrdinal } from "./top-k.js";
import { isDeleted, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";
import { exactRescore } from "./exact-rescore.js";
import { BUCKETS, bucketOrder, heaviestTerms, summaryScores } from "./cluster-order.js";
import type { ForwardIndex } from "./forward-index.js";
import { candidatesToRescore } from "./candidate-bounds.js";
import type { SharedFloors } from "./shared-floor.js";

export interface ApproximateSearchOptions {
  /** Heaviest query terms whose lists are visited (Seismic `query_cut`). */
  readonly queryTerms: number;
  /** Clusters whose summary score is below this × the k-th score are skipped (Seismic `heap_factor`). */
  readonly heapFactor: number;
  /** This × k candidates (by approximate score) are rescored exactly. */
  readonly rescore: number;
  /** Candidates are scored on their this-many heaviest postings (the forward index's prefix). */
  readonly docTerms: number;
}

export function approximateSearchSegments(segments: readonly LiveSegment[], queries: readonly SegmentQuery[], k: number, options: ApproximateSearchOptions, scratch: SearchScratch, shared?: SharedFloors): ScoredOrdinal[] {
  const heap = new TopK(k);
  const pool = new TopK(Math.max(k, Math.ceil(k * options.rescore)));
  if (shared !== undefined) (heap.share(shared.heap), pool.share(shared.pool));
  // 1. The clusters of every segment's visited lists, and their summary scores.
  const S = segments.length;
  const lists: Uint32Array[] = [];
  const cuts = scratch.int32(20, S, 0);
  let total = 0;
  for (let s = 0; s < S; s++) {
    const seg = segments[s].segment;
    const approx = seg.approximate;
    if (approx === null) {
      throw new SpladeError("UNSUPPORTED", "this index has segments without approximate-search structures (written by an older version, or built with approximate: false); rebuild it, or run `splade index merge`, to search it approximately");
    }
    const query = queries[s];
    cuts[s] = query.count === 0 || seg.docCount === 0 ? 0 : Math.min(query.count, Math.max(1, options.queryTerms));
    lists.push(heaviestTerms(query, cuts[s], scratch, 1000 + 2 * s));
    for (let r = 0; r < cuts[s]; r++) total += clusterCount(approx, query.termIndex[lists[s][r]]);
  }
  const dots = scratch.float64(10, total); // [n] summary score
  const cluster = scratch.uint32(3, total); // [n] cluster number in its segment
  const owner = scratch.uint32(9, total); // [n] its segment
  let at = 0;
  for (let s = 0; s < S; s++) {
    const approx = segments[s].segment.approximate!;
    for (let r = 0; r < cuts[s]; r++) {
      const ti = queries[s].termIndex[lists[s][r]];
      summaryScores(approx, queries[s], ti, dots, at);
      for (let c = approx.termClusterStart[ti], end = approx.termClusterStart[ti + 1]; c < end; c++) (cluster[at] = c), (owner[at++] = s);
    }
  }
  // 2. Clusters best summary first (to a 1/64 bucket), across lists and segments; the visit stops at the
  //    first bucket whose top is below heapFactor × the k-th score.
  const { order, bucketStart, scale } = bucketOrder(dots, total, scratch);
  const visits = segments.map((live, s) => (cuts[s] === 0 ? null : new SegmentVisit(live, queries[s], s, scratch)));
  const docTerms = options.docTerms;
  for (let b = 0, v = 0; v < total; v++) {
    while (v === bucketStart[b + 1]) b++;
    const i = order[v];
    heap.sync();
    pool.sync();
    const bar = options.heapFactor * heap.threshold;
    if (heap.threshold > -Infinity && dots[i] < bar) {
      if ((BUCKETS - b) / scale < bar) break; // the bucket's top: every later cluster is lower
      continue;
    }
    visits[owner[i]]!.scoreCluster(cluster[i], heap, pool, docTerms, scratch);
  }
  for (const visit of visits) visit?.reset();
  return exactRescore(segments, queries, candidatesToRescore(segments, queries, pool.entries(), k, scratch), k, scratch);
}

function clusterCount(approx: NonNullable<LiveSegment["segment"]["approximate"]>, ti: number): number {
  return approx.termClusterStart[ti + 1] - approx.termClusterStart[ti];
}

/** One segment's part of a query's visit: the query's scaled weights and the documents seen, reset after. */
class SegmentVisit {
  private readonly forward: ForwardIndex;
  private readonly clusterDocStart: Uint32Array;
  private readonly clusterDocs: Uint32Array;
  private readonly scaled: Float64Array; // [T] w_q · forwardScale[q], zero elsewhere
  private readonly visited: Int32Array; // [N/32] bitset of documents seen
  private seenWords: Uint32Array; // words of `visited` set by this query
  private seenCount = 0;
  private touched = 0;

  constructor(
    private readonly live: LiveSegment,
    private readonly query: SegmentQuery,
    s: number,
    scratch: SearchScratch,
  ) {
    const approx = live.segment.approximate!;
    this.forward = approx;
    this.clusterDocStart = approx.clusterDocStart;
    this.clusterDocs = approx.clusterDocs;
    const forwardScale = approx.forwardScale;
    this.scaled = scratch.float64Zeroed(100 + s, forwardScale.length);
    for (let q = 0; q < query.count; q++) this.scaled[query.termIndex[q]] = query.weight[q] * forwardScale[query.termIndex[q]];
    this.visited = scratch.int32Zeroed(100 + s, (live.segment.docCount >>> 5) + 1);
    this.seenWords = scratch.uint32(1001 + 2 * s, 1024);
  }

  /**
   * Scores cluster c's documents not seen yet (and not deleted) and offers them to both heaps. Each
   * document's first forward postings are touched in a loop of independent loads first, so that the cache
   * misses of the whole cluster overlap; documents are then scored two at a time (independent streams).
   */
  scoreCluster(c: number, heap: TopK, pool: TopK, docTerms: number, scratch: SearchScratch): void {
    const { forwardStart, forwardTerms, forwardCodes } = this.forward;
    const { scaled, visited, clusterDocs } = this;
    const deleted = this.live.deleted;
    const docRank = this.live.segment.docRank;
    const base = this.live.baseOrdinal;
    const first = this.clusterDocStart[c];
    const end = this.clusterDocStart[c + 1];
    const batch = scratch.uint32(4, end - first);
    const starts = scratch.uint32(5, end - first);
    let n = 0;
    for (let p = first; p < end; p++) {
      const d = clusterDocs[p];
      const word = d >>> 5;
      const bit = 1 << (d & 31);
      if ((visited[word] & bit) !== 0) continue;
      if (visited[word] === 0) {
        if (this.seenCount === this.seenWords.length) this.seenWords = grow(this.seenWords);
        this.seenWords[this.seenCount++] = word;
      }
      visited[word] |= bit;
      if (deleted !== null && isDeleted(deleted, docRank[d])) continue;
      batch[n++] = d;
    }
    let touched = 0;
    for (let i = 0; i < n; i++) starts[i] = forwardStart[batch[i]];
    for (let i = 0; i < n; i++) touched += forwardTerms[starts[i]] + forwardCodes[starts[i]];
    this.touched ^= touched;
    // The pool holds the heap's entries and more, so a score below the pool's floor enters neither.
    let floor = pool.threshold;
    let x = 0;
    for (; x + 1 < n; x += 2) {
      const d0 = batch[x];
      const d1 = batch[x + 1];
      const p0 = starts[x];
      const p1 = starts[x + 1];
      const n0 = Math.min(forwardStart[d0 + 1] - p0, docTerms);
      const n1 = Math.min(forwardStart[d1 + 1] - p1, docTerms);
      const both = Math.min(n0, n1);
      let s0 = 0;
      let s1 = 0;
      for (let q = 0; q < both; q++) {
        s0 += scaled[forwardTerms[p0 + q]] * forwardCodes[p0 + q];
        s1 += scaled[forwardTerms[p1 + q]] * forwardCodes[p1 + q];
      }
      for (let q = both; q < n0; q++) s0 += scaled[forwardTerms[p0 + q]] * forwardCodes[p0 + q];
      for (let q = both; q < n1; q++) s1 += scaled[forwardTerms[p1 + q]] * forwardCodes[p1 + q];
      if (s0 > 0 && s0 >= floor) (heap.offer(s0, base + d0), pool.offer(s0, base + d0), (floor = pool.threshold));
      if (s1 > 0 && s1 >= floor) (heap.offer(s1, base + d1), pool.offer(s1, base + d1), (floor = pool.threshold));
    }
    if (x < n) {
      const d = batch[x];
      let score = 0;
      for (let p = starts[x], e = Math.min(forwardStart[d + 1], p + docTerms); p < e; p++) score += scaled[forwardTerms[p]] * forwardCodes[p];
      if (score > 0 && score >= floor) (heap.offer(score, base + d), pool.offer(score, base + d));
    }
  }

  /** Leaves the scratch buffers all-zero again. */
  reset(): void {
    for (let q = 0; q < this.query.count; q++) this.scaled[this.query.termIndex[q]] = 0;
    for (let i = 0; i < this.seenCount; i++) this.visited[this.seenWords[i]] = 0;
    sink ^= this.touched;
  }
}

/** Keeps the touch loops' loads observable. */
export let sink = 0;

function grow(words: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(words.length * 2);
  bigger.set(words);
  return bigger;
}
