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
  const { forwardStart, forwardTerms, forwardCodes, forwardScale, termClusterStart, clusterDocStart, clusterDocs, clusterScale, termGroupStart, summaryTerms, groupEnd, termEntryStart, entryCluster, entryCode } = approx;
  const T = forwardScale.length;
  const scaled = scratch.float64Zeroed(0, T); // [T] w_q · forwardScale[q]
  for (let q = 0; q < Q; q++) scaled[query.termIndex[q]] = query.weight[q] * forwardScale[query.termIndex[q]];
  const visited = scratch.int32Zeroed(0, (seg.docCount >>> 5) + 1); // [N/32] bitset, reset below
  const seen = scratch.uint32(2, 1024); // words of `visited` set by this query
  let seenCount = 0;
  let seenWords = seen;

  // The heaviest query terms, heaviest first.
  const cut = Math.min(Q, Math.max(1, options.queryTerms));
  const byWeight = Array.from({ length: Q }, (_, q) => q).sort((a, b) => query.weight[b] - query.weight[a] || a - b).slice(0, cut);
  const base = live.baseOrdinal;
  const docTerms = options.docTerms;
  const deleted = live.deleted;
  let batch = scratch.uint32(4, 64); // a cluster's documents to score
  let starts = scratch.uint32(5, 64); // their first forward postings
  let touched = 0;
  for (let rank = 0; rank < byWeight.length; rank++) {
    const ti = query.termIndex[byWeight[rank]];
    const c0 = termClusterStart[ti];
    const C = termClusterStart[ti + 1] - c0;
    if (C === 0) continue;
    // Summary scores of the list's clusters: each query term's entries in the list's inverted summaries
    // (query terms and components both ascending, so each search starts where the previous one ended).
    const dots = scratch.float64(10, C); // [C]
    const gEnd = termGroupStart[ti + 1];
    const entryBase = termEntryStart[ti];
    for (let q = 0, g = termGroupStart[ti]; q < Q && g < gEnd; q++) {
      const target = query.termIndex[q];
      let hi = gEnd;
      while (g < hi) {
        const mid = (g + hi) >>> 1;
        if (summaryTerms[mid] < target) g = mid + 1;
        else hi = mid;
      }
      if (g === gEnd || summaryTerms[g] !== target) continue;
      const w = query.weight[q];
      for (let e = entryBase + (g === termGroupStart[ti] ? 0 : groupEnd[g - 1]), end = entryBase + groupEnd[g]; e < end; e++) dots[entryCluster[e]] += w * entryCode[e];
      g++;
    }
    for (let j = 0; j < C; j++) dots[j] *= clusterScale[c0 + j];
    const order = scratch.uint32(3, C);
    for (let j = 0; j < C; j++) order[j] = j;
    const visitOrder = rank === 0 ? order.subarray(0, C).sort((a, b) => dots[b] - dots[a] || a - b) : order;
    for (let v = 0; v < C; v++) {
      const j = visitOrder[v];
      if (heap.full && dots[j] < options.heapFactor * heap.threshold) continue;
      const size = clusterDocStart[c0 + j + 1] - clusterDocStart[c0 + j];
      if (size > batch.length) (batch = scratch.uint32(4, size)), (starts = scratch.uint32(5, size));
      // The cluster's documents not seen yet (and not deleted), then scored two at a time: the two
      // streams of forward postings are independent, so their cache misses overlap.
      let n = 0;
      for (let i = clusterDocStart[c0 + j], end = clusterDocStart[c0 + j + 1]; i < end; i++) {
        const d = clusterDocs[i];
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
  }
  for (let q = 0; q < Q; q++) scaled[query.termIndex[q]] = 0;
  sink ^= touched;
  for (let i = 0; i < seenCount; i++) visited[seenWords[i]] = 0;
}

/** Keeps the touch loops' loads observable. */
export let sink = 0;

function grow(words: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(words.length * 2);
  bigger.set(words);
  return bigger;
}
