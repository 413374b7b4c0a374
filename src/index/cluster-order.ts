/**
 * Which clusters approximate search (approximate-search.ts) visits, and in what order: the lists of a query's
 * heaviest terms, the query's dot product with each of their clusters' summaries (summaries.ts, stored
 * inverted), and an order best summary first (to a 1/64 bucket of the best, by a counting sort).
 * Shapes: Q query terms, C clusters of a list, n clusters in all.
 */
import type { ClusteredLists } from "./clustered-lists.js";
import type { SearchScratch, SegmentQuery } from "./segment-query.js";

/** Score buckets of the visit order (bucketOrder). */
export const BUCKETS = 64;

/** Positions (in query order) of the `cut` heaviest query terms, heaviest first, ties by position. */
export function heaviestTerms(query: SegmentQuery, cut: number, scratch: SearchScratch, slot: number): Uint32Array {
  const Q = query.count;
  const w = query.weight;
  const top = scratch.uint32(slot, Q);
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
 * dots[at..at+C) must be zero.
 */
export function summaryScores(approx: ClusteredLists, query: SegmentQuery, ti: number, dots: Float64Array, at: number): void {
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

export interface BucketOrder {
  /** Indices of dots, best bucket first, by index within a bucket. */
  readonly order: Uint32Array;
  /** [BUCKETS + 1] where each bucket starts in `order`. */
  readonly bucketStart: Int32Array;
  /** Bucket b (best first) holds scores below (BUCKETS − b) / scale. */
  readonly scale: number;
}

/**
 * Indices of dots[0..n) in descending buckets of score (a counting sort into BUCKETS equal-width buckets of
 * [0, max]). The visit needs no finer order: it checks each cluster's own score, and a bucket whose top is
 * below the bar ends it. O(n), where a full sort of the ~600 clusters of a query cost a tenth of the search.
 */
export function bucketOrder(dots: Float64Array, n: number, scratch: SearchScratch): BucketOrder {
  let max = 0;
  for (let i = 0; i < n; i++) if (dots[i] > max) max = dots[i];
  const scale = max > 0 ? (BUCKETS - 1e-9) / max : 0;
  const bucketStart = scratch.int32(18, BUCKETS + 1, 0);
  const bucket = scratch.uint32(8, n);
  for (let i = 0; i < n; i++) bucketStart[(bucket[i] = BUCKETS - 1 - Math.floor(dots[i] * scale)) + 1]++;
  for (let b = 0; b < BUCKETS; b++) bucketStart[b + 1] += bucketStart[b];
  const cursor = scratch.int32(19, BUCKETS, 0);
  const order = scratch.uint32(7, n);
  for (let i = 0; i < n; i++) order[bucketStart[bucket[i]] + cursor[bucket[i]]++] = i;
  return { order, bucketStart, scale };
}
