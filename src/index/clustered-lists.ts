/**
 * The inverted side of approximate search, after Seismic (Bruch, Nardini, Rulli & Venturini, "Efficient
 * Inverted Indexes for Approximate Retrieval over Learned Sparse Representations", SIGIR 2024):
 *  1. Static pruning: each term keeps only its heaviest postings. As Seismic's default "global threshold"
 *     strategy, the `postingsPerTerm · T` heaviest postings of the segment are kept (so heavy terms keep
 *     more), and no term more than `maxPostingsFactor · postingsPerTerm`.
 *  2. Each pruned list, in internal document order, is cut into clusters of about `clusterSize`
 *     documents. Seismic clusters each list with one round of k-means on random centroids; here the
 *     documents are already ordered by recursive graph bisection (reorder.ts), which puts documents that
 *     share terms next to each other, so consecutive documents of a list are a cluster at no cost.
 *  3. Each cluster has a summary of its documents (summaries.ts).
 * Weights come from the forward index (forward-index.ts). A list has at most 256 clusters.
 * Shapes: N documents, P postings, T terms, C clusters, L pruned postings.
 */
import type { ForwardIndex } from "./forward-index.js";
import { buildSummaries, type Summaries } from "./summaries.js";

export interface ApproximateSettings {
  /** Mean postings kept per term (Seismic `n_postings`). */
  readonly postingsPerTerm: number;
  /** A term keeps at most this × postingsPerTerm postings (Seismic `max_fraction`). */
  readonly maxPostingsFactor: number;
  /** Documents per cluster (Seismic: 1 / `centroid_fraction`). */
  readonly clusterSize: number;
  /** Fraction of a summary's L1 mass kept (Seismic `summary_energy`). */
  readonly summaryEnergy: number;
  /** At most this many components per summary (the heaviest). */
  readonly summaryComponents: number;
}

export interface ClusteredLists extends Summaries {
  readonly termClusterStart: Uint32Array; // [T+1]
  readonly clusterDocStart: Uint32Array; // [C+1]
  readonly clusterDocs: Uint32Array; // [L] internal documents, ascending within a cluster
}

const THRESHOLD_BUCKETS = 1 << 16;
const MAX_CLUSTERS_PER_LIST = 256;

export function buildClusteredLists(forward: ForwardIndex, settings: ApproximateSettings): ClusteredLists {
  const { forwardStart, forwardTerms, forwardCodes, forwardScale } = forward;
  const T = forwardScale.length;
  const N = forwardStart.length - 1;
  const P = forwardTerms.length;

  // 1. Global threshold on approximate values: keep about postingsPerTerm · T postings.
  let maxValue = 0;
  for (let t = 0; t < T; t++) maxValue = Math.max(maxValue, 255 * forwardScale[t]);
  const bucketScale = maxValue > 0 ? (THRESHOLD_BUCKETS - 1) / maxValue : 0;
  const bucketOf = (p: number) => Math.floor(forwardCodes[p] * forwardScale[forwardTerms[p]] * bucketScale);
  let minBucket = 0;
  const target = settings.postingsPerTerm * T;
  if (P > target) {
    const histogram = new Float64Array(THRESHOLD_BUCKETS);
    for (let p = 0; p < P; p++) histogram[bucketOf(p)]++;
    let kept = 0;
    minBucket = THRESHOLD_BUCKETS - 1;
    while (minBucket > 0 && kept + histogram[minBucket] < target) kept += histogram[minBucket--];
  }

  // 2. Kept postings, term-major, documents ascending; then each term capped to its heaviest.
  const count = new Uint32Array(T + 1);
  for (let p = 0; p < P; p++) if (bucketOf(p) >= minBucket) count[forwardTerms[p] + 1]++;
  for (let t = 0; t < T; t++) count[t + 1] += count[t];
  const K = count[T];
  const keptDocs = new Uint32Array(K);
  const keptCodes = new Uint8Array(K);
  const cursor = count.slice(0, T);
  for (let d = 0; d < N; d++) {
    for (let p = forwardStart[d]; p < forwardStart[d + 1]; p++) {
      if (bucketOf(p) < minBucket) continue;
      const at = cursor[forwardTerms[p]]++;
      keptDocs[at] = d;
      keptCodes[at] = forwardCodes[p];
    }
  }
  const cap = Math.max(1, Math.floor(settings.maxPostingsFactor * settings.postingsPerTerm));
  const listStart = new Uint32Array(T + 1);
  let L = 0;
  for (let t = 0; t < T; t++) {
    const from = count[t];
    const to = count[t + 1];
    listStart[t] = L;
    if (to - from <= cap) {
      keptDocs.copyWithin(L, from, to);
      L += to - from;
      continue;
    }
    // Codes of one term share a scale, so the heaviest are the largest codes: a 256-bucket count.
    const codes = new Uint32Array(256);
    for (let i = from; i < to; i++) codes[keptCodes[i]]++;
    let threshold = 255;
    let above = 0;
    while (above + codes[threshold] < cap) above += codes[threshold--];
    let quota = cap - above;
    for (let i = from; i < to; i++) {
      const c = keptCodes[i];
      if (c > threshold || (c === threshold && quota-- > 0)) keptDocs[L++] = keptDocs[i];
    }
  }
  listStart[T] = L;

  // 3. Clusters of consecutive documents, and their summaries (summaries.ts).
  const termClusterStart = new Uint32Array(T + 1);
  for (let t = 0; t < T; t++) termClusterStart[t + 1] = termClusterStart[t] + clustersOf(listStart[t + 1] - listStart[t], settings.clusterSize);
  const C = termClusterStart[T];
  const clusterDocStart = new Uint32Array(C + 1);
  for (let t = 0; t < T; t++) {
    const n = listStart[t + 1] - listStart[t];
    const clusters = termClusterStart[t + 1] - termClusterStart[t];
    for (let j = 0; j <= clusters; j++) clusterDocStart[termClusterStart[t] + j] = listStart[t] + Math.floor((j * n) / Math.max(1, clusters));
  }
  const clusterDocs = keptDocs.slice(0, L);
  return { termClusterStart, clusterDocStart, clusterDocs, ...buildSummaries(forward, termClusterStart, clusterDocStart, clusterDocs, settings) };
}

/** Clusters of a list of n documents: about n / clusterSize, at most 256 (cluster numbers are u8). */
function clustersOf(n: number, clusterSize: number): number {
  return n === 0 ? 0 : Math.min(MAX_CLUSTERS_PER_LIST, Math.ceil(n / clusterSize));
}
