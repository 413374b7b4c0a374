/**
 * Approximate top-k (Seismic's query algorithm; Bruch, Nardini, Rulli & Venturini, SIGIR 2024) over the
 * structures of forward-index.ts and clustered-lists.ts, then exact rescoring (exact-rescore.ts):
 *  1. Only the `queryTerms` heaviest query terms have their (pruned, clustered) lists visited, heaviest
 *     first (Seismic `query_cut`).
 *  2. In a list, the query's dot product with every cluster summary is computed; a cluster whose summary
 *     score is below `heapFactor` × the current k-th score is skipped (Seismic `heap_factor`), otherwise
 *     each of its documents not seen yet is scored against the query from the forward index (u8 codes, the
 *     first `docTerms` of the document, heaviest first). The first list is visited best summary first.
 *  3. The `rescore` · k best documents by that approximate score are scored exactly from the postings (but
 *     those that bounds from their whole forward document rule out: candidate-bounds.ts), and
 *     the k best of them by exact score are returned: scores are exact dot products (equal to brute force
 *     for the documents found); only the candidate set is approximate.
 * Deleted documents are never scored. One pair of heaps spans all segments, so a threshold reached in one
 * segment prunes the next. Keys in the heaps are segment base + internal document (rescoring maps them back
 * to insertion ordinals, the tie-break of the final list).
 * Shapes: Q query terms, T terms, C clusters of a list, N documents.
 */
import { SpladeError } from "../util/errors.js";
import { TopK, type ScoredOrdinal } from "./top-k.js";
import { isDeleted, type LiveSegment, type SearchScratch, type SegmentQuery } from "./segment-query.js";
import { exactRescore } from "./exact-rescore.js";
import type { ClusteredLists } from "./clustered-lists.js";
import { candidatesToRescore } from "./candidate-bounds.js";

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

export function approximateSearchSegments(segments: readonly LiveSegment[], queries: readonly SegmentQuery[], k: number, options: ApproximateSearchOptions, scratch: SearchScratch): ScoredOrdinal[] {
  const heap = new TopK(k);
  const pool = new TopK(Math.max(k, Math.ceil(k * options.rescore)));
  segments.forEach((live, s) => searchSegment(live, queries[s], heap, pool, options, scratch));
  return exactRescore(segments, queries, candidatesToRescore(segments, queries, pool.sorted(), k, scratch), k, scratch);
}

function searchSegment(live: LiveSegment, query: SegmentQuery, heap: TopK, pool: TopK, options: ApproximateSearchOptions, scratch: SearchScratch): void {
  const seg = live.segment;
  const approx = seg.approximate;
  if (approx === null) {
    throw new SpladeError("UNSUPPORTED", "this index has segments without approximate-search structures (written by an older version, or built with approximate: false); rebuild it, or run `splade index merge`, to search it approximately");
  }
  const Q = query.count;
  if (Q === 0 || seg.docCount === 0) return;
  const { forwardStart, forwardTerms, forwardCodes, forwardScale, termClusterStart, clusterDocStart, clusterDocs } = approx;
  const T = forwardScale.length;
  const scaled = scratch.float64Zeroed(0, T); // [T] w_q · forwardScale[q]
  for (let q = 0; q < Q; q++) scaled[query.termIndex[q]] = query.weight[q] * forwardScale[query.termIndex[q]];
  const visited = scratch.int32Zeroed(0, (seg.docCount >>> 5) + 1); // [N/32] bitset, reset below
  const seen = scratch.uint32(2, 1024); // words of `visited` set by this query
  let seenCount = 0;
  let seenWords = seen;

  // The heaviest query terms' lists, and the summary scores of all their clusters.
  const cut = Math.min(Q, Math.max(1, options.queryTerms));
  const lists = heaviestTerms(query, cut, scratch);
  let total = 0;
  for (let r = 0; r < cut; r++) total += termClusterStart[query.termIndex[lists[r]] + 1] - termClusterStart[query.termIndex[lists[r]]];
  const dots = scratch.float64(10, total); // [ΣC] summary score of each visited list's clusters
  const cluster = scratch.uint32(3, total); // [ΣC] the cluster (segment numbering)
  let at = 0;
  for (let r = 0; r < cut; r++) {
    const ti = query.termIndex[lists[r]];
    for (let c = termClusterStart[ti]; c < termClusterStart[ti + 1]; c++) cluster[at++] = c;
    summaryScores(approx, query, ti, dots, at - (termClusterStart[ti + 1] - termClusterStart[ti]));
  }
  // Clusters best summary first, across lists: the threshold rises as fast as it can, and the visit stops
  // at the first cluster below heapFactor × the k-th score (all later ones are lower).
  const order = bestFirst(dots, total, scratch);
  const base = live.baseOrdinal;
  const docTerms = options.docTerms;
  const deleted = live.deleted;
  let batch = scratch.uint32(4, 64); // a cluster's documents to score
  let starts = scratch.uint32(5, 64); // their first forward postings
  let touched = 0;
  for (let v = 0; v < total; v++) {
    const i = order[v];
    if (heap.full && dots[i] < options.heapFactor * heap.threshold) break;
    const c = cluster[i];
    const size = clusterDocStart[c + 1] - clusterDocStart[c];
    if (size > batch.length) (batch = scratch.uint32(4, size)), (starts = scratch.uint32(5, size));
    // The cluster's documents not seen yet (and not deleted), then scored two at a time: the two
    // streams of forward postings are independent, so their cache misses overlap.
    let n = 0;
    for (let p = clusterDocStart[c], end = clusterDocStart[c + 1]; p < end; p++) {
      const d = clusterDocs[p];
      const word = d >>> 5;
      const bit = 1 << (d & 31);
      if ((visited[word] & bit) !== 0) continue;
      if (visited[word] === 0) {
        if (seenCount === seenWords.length) seenWords = grow(seenWords);
        seenWords[seenCount++] = word;
      }
      visited[word] |= bit;
      if (deleted !== null && isDeleted(deleted, seg.docRank[d])) continue;
      batch[n++] = d;
    }
    // Touch each document's first forward postings in loops of independent loads, so that the cache
    // misses of the whole cluster overlap; scoring then runs on cached lines (and the prefetcher's).
    for (let i = 0; i < n; i++) starts[i] = forwardStart[batch[i]];
    for (let i = 0; i < n; i++) touched += forwardTerms[starts[i]] + forwardCodes[starts[i]];
    let x = 0;
    for (; x + 1 < n; x += 2) {
      const d0 = batch[x];
      const d1 = batch[x + 1];
      const p0 = forwardStart[d0];
      const p1 = forwardStart[d1];
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
      if (s0 > 0) (heap.offer(s0, base + d0), pool.offer(s0, base + d0));
      if (s1 > 0) (heap.offer(s1, base + d1), pool.offer(s1, base + d1));
    }
    if (x < n) {
      const d = batch[x];
      let score = 0;
      for (let p = forwardStart[d], e = Math.min(forwardStart[d + 1], p + docTerms); p < e; p++) score += scaled[forwardTerms[p]] * forwardCodes[p];
      if (score > 0) (heap.offer(score, base + d), pool.offer(score, base + d));
    }
  }
  for (let q = 0; q < Q; q++) scaled[query.termIndex[q]] = 0;
  sink ^= touched;
  for (let i = 0; i < seenCount; i++) visited[seenWords[i]] = 0;
}

/** Keeps the touch loops' loads observable. */
export let sink = 0;

/** Positions (in query order) of the `cut` heaviest query terms, heaviest first, ties by position. */
function heaviestTerms(query: SegmentQuery, cut: number, scratch: SearchScratch): Uint32Array {
  const Q = query.count;
  const w = query.weight;
  const top = scratch.uint32(6, Q);
  if (cut > 16) {
    for (let q = 0; q < Q; q++) top[q] = q;
    return top.subarray(0, Q).sort((a, b) => w[b] - w[a] || a - b);
  }
  let n = 0; // insertion into the sorted top: later positions lose ties
  for (let q = 0; q < Q; q++) {
    if (n === cut && w[q] <= w[top[n - 1]]) continue;
    let j = n < cut ? n++ : n - 1;
    for (; j > 0 && w[top[j - 1]] < w[q]; j--) top[j] = top[j - 1];
    top[j] = q;
  }
  return top;
}

/**
 * Summary scores of list ti's clusters into dots[at..at+C): each query term's entries in the list's inverted
 * summaries (query terms and components both ascending, so each search starts where the previous one ended).
 */
function summaryScores(approx: ClusteredLists, query: SegmentQuery, ti: number, dots: Float64Array, at: number): void {
  const { termClusterStart, clusterScale, termGroupStart, summaryTerms, groupEnd, termEntryStart, entryCluster, entryCode } = approx;
  const gStart = termGroupStart[ti];
  const gEnd = termGroupStart[ti + 1];
  const entryBase = termEntryStart[ti];
  for (let q = 0, g = gStart; q < query.count && g < gEnd; q++) {
    const target = query.termIndex[q];
    let hi = gEnd;
    while (g < hi) {
      const mid = (g + hi) >>> 1;
      if (summaryTerms[mid] < target) g = mid + 1;
      else hi = mid;
    }
    if (g === gEnd || summaryTerms[g] !== target) continue;
    const w = query.weight[q];
    for (let e = entryBase + (g === gStart ? 0 : groupEnd[g - 1]), end = entryBase + groupEnd[g]; e < end; e++) dots[at + entryCluster[e]] += w * entryCode[e];
    g++;
  }
  const c0 = termClusterStart[ti];
  for (let j = 0, C = termClusterStart[ti + 1] - c0; j < C; j++) dots[at + j] *= clusterScale[c0 + j];
}

/**
 * Indices of dots[0..n) by score descending (ties by index): keys (quantized score, index) packed in the
 * 53 bits of a float64, sorted natively (no comparator calls).
 */
function bestFirst(dots: Float64Array, n: number, scratch: SearchScratch): Uint32Array {
  let max = 0;
  for (let i = 0; i < n; i++) if (dots[i] > max) max = dots[i];
  const span = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  const levels = 2 ** 52 / span - 1;
  const scale = max > 0 ? levels / max : 0;
  const keys = scratch.float64Unfilled(14, n).subarray(0, n);
  for (let i = 0; i < n; i++) keys[i] = (levels - Math.floor(dots[i] * scale)) * span + i;
  keys.sort();
  const order = scratch.uint32(7, n);
  for (let v = 0; v < n; v++) order[v] = keys[v] % span;
  return order;
}

function grow(words: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(words.length * 2);
  bigger.set(words);
  return bigger;
}
