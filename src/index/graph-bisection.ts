/**
 * Recursive graph bisection (BP; Dhulipala, Kabiljo, Karrer, Ottaviano, Pupyrev & Shalita, "Compressing
 * Graphs and Indexes with Recursive Graph Bisection", KDD 2016), the document reordering the BMP paper
 * (Mallia, Suel & Tonellotto, SIGIR 2024) runs before building block-max structures: documents that share
 * terms end up in the same blocks, so block maxima are tight and few blocks survive a query's threshold.
 *
 * The documents (a bipartite graph document–term) are split in two halves; for `iterations` rounds each
 * document's *move gain* is computed — how much the log-gap cost of its terms' posting lists would drop if
 * it moved to the other half, with the cost model of the paper (and PISA's implementation):
 *   cost(t) = d1 · log2(n1 / (d1 + 1)) + d2 · log2(n2 / (d2 + 1)),   d1, d2: t's degree in each half,
 * and the best-gaining documents of each half are swapped pairwise while the two gains sum to more than 0.
 * Then both halves are bisected recursively, down to parts of `leafSize` documents. Split points are
 * multiples of `leafSize`, so with leafSize = the block size every leaf is exactly one block.
 *
 * Selecting the swaps uses a 1,024-bucket histogram of the gains instead of sorting both halves (O(n) per
 * round instead of O(n log n)); swap counts can be off by a bucket's worth of pairs whose gains nearly
 * cancel, which moves the cost by almost nothing. Degrees are updated incrementally on swaps, and a term's
 * two gains are computed once per round (stamped cache), so a round costs one pass over the part's postings.
 *
 * Shapes: N documents, P postings of the (possibly reduced) graph, T terms (dense ids < T).
 */

export interface BisectionGraph {
  readonly docStart: Uint32Array; // [N+1]
  readonly terms: Uint32Array; // [P] dense term ids
  readonly termCount: number; // T
}

export interface BisectionOptions {
  /** Swap rounds per bisection (PISA's default is 20). */
  readonly iterations: number;
  /** Parts of at most this many documents are not split further. */
  readonly leafSize: number;
}

const MAX_BUCKETS = 1024;

/** Returns `initial` (a permutation of 0..N-1: position → document) reordered by BP. */
export function graphBisection(graph: BisectionGraph, initial: Uint32Array, options: BisectionOptions): Uint32Array {
  const N = initial.length;
  if (N <= options.leafSize || options.iterations < 1) return initial.slice();
  const T = graph.termCount;
  // The graph is kept in position order (document i of `local` is at position i when a level starts), so
  // that a part's postings are contiguous in memory; it is rewritten once per level (ping-pong buffers).
  let local = relayout(graph, initial);
  let spare: BisectionGraph = { docStart: new Uint32Array(N + 1), terms: new Uint32Array(graph.terms.length), termCount: T };
  let order = initial.slice(); // position → original document
  const state: State = {
    graph: local,
    perm: new Uint32Array(N),
    deg1: new Int32Array(T),
    deg2: new Int32Array(T),
    stamp: new Int32Array(T),
    gainTo2: new Float64Array(T),
    gainTo1: new Float64Array(T),
    gains: new Float64Array(N),
    picks: new Uint32Array(N),
    histogramLeft: new Int32Array(MAX_BUCKETS),
    histogramRight: new Int32Array(MAX_BUCKETS),
    log2: log2Table(N + 2),
    epoch: 0,
    options,
  };
  let parts: Array<[number, number]> = [[0, N]];
  while (parts.length > 0) {
    state.graph = local;
    for (let i = 0; i < N; i++) state.perm[i] = i;
    const next: Array<[number, number]> = [];
    for (const [lo, hi] of parts) {
      const mid = bisect(state, lo, hi);
      if (mid - lo > options.leafSize) next.push([lo, mid]);
      if (hi - mid > options.leafSize) next.push([mid, hi]);
    }
    const reordered = new Uint32Array(N);
    for (let i = 0; i < N; i++) reordered[i] = order[state.perm[i]];
    order = reordered;
    const used = local;
    local = relayout(local, state.perm, spare);
    spare = used;
    parts = next;
  }
  return order;
}

/** The graph with document i := document perm[i] of `graph`, written into `into` when given. */
function relayout(graph: BisectionGraph, perm: Uint32Array, into?: BisectionGraph): BisectionGraph {
  const N = perm.length;
  const docStart = into?.docStart ?? new Uint32Array(N + 1);
  const terms = into?.terms ?? new Uint32Array(graph.terms.length);
  let at = 0;
  for (let i = 0; i < N; i++) {
    const d = perm[i];
    for (let p = graph.docStart[d], e = graph.docStart[d + 1]; p < e; p++) terms[at++] = graph.terms[p];
    docStart[i + 1] = at;
  }
  return { docStart, terms, termCount: graph.termCount };
}

interface State {
  graph: BisectionGraph; // in position order at the start of the level
  readonly perm: Uint32Array; // [N] position → document of `graph`
  readonly deg1: Int32Array; // [T] degree in the left half of the current part
  readonly deg2: Int32Array; // [T] degree in the right half
  readonly stamp: Int32Array; // [T] round in which gainTo1/gainTo2 were computed
  readonly gainTo2: Float64Array; // [T] gain of moving a left document with t to the right
  readonly gainTo1: Float64Array; // [T]
  readonly gains: Float64Array; // [N] per position
  readonly picks: Uint32Array; // [N] scratch: chosen positions
  readonly histogramLeft: Int32Array; // [MAX_BUCKETS]
  readonly histogramRight: Int32Array; // [MAX_BUCKETS]
  readonly log2: Float64Array; // [N+2] log2(x), log2(0) = 0 (never used with weight ≠ 0)
  epoch: number;
  readonly options: BisectionOptions;
}

function log2Table(n: number): Float64Array {
  const table = new Float64Array(n);
  for (let x = 1; x < n; x++) table[x] = Math.log2(x);
  return table;
}

/** Runs the swap rounds of one bisection of [lo, hi); returns the split point. */
function bisect(s: State, lo: number, hi: number): number {
  const leaf = s.options.leafSize;
  const n = hi - lo;
  const mid = Math.min(hi - 1, lo + Math.ceil(n / 2 / leaf) * leaf);
  const { perm, deg1, deg2 } = s;
  const { docStart, terms } = s.graph;
  // perm is the identity on [lo, hi) when a part starts (one bisection per part and level).
  for (let p = docStart[lo], e = docStart[mid]; p < e; p++) deg1[terms[p]]++;
  for (let p = docStart[mid], e = docStart[hi]; p < e; p++) deg2[terms[p]]++;
  for (let round = 0; round < s.options.iterations; round++) {
    computeGains(s, lo, mid, hi);
    if (swapBest(s, lo, mid, hi) === 0) break;
  }
  for (let p = docStart[lo], e = docStart[hi]; p < e; p++) {
    deg1[terms[p]] = 0;
    deg2[terms[p]] = 0;
  }
  return mid;
}

/** gains[i] for every position of the part: the drop in cost if the document there changed halves. */
function computeGains(s: State, lo: number, mid: number, hi: number): void {
  const { perm, deg1, deg2, stamp, gainTo1, gainTo2, gains, log2 } = s;
  const { docStart, terms } = s.graph;
  const epoch = ++s.epoch;
  const logN1 = Math.log2(mid - lo);
  const logN2 = Math.log2(hi - mid);
  // A term's two gains are computed on its first posting of the round (stamp), then reused.
  for (let i = lo; i < hi; i++) {
    const toRight = i < mid;
    let g = 0;
    for (let p = docStart[perm[i]], e = docStart[perm[i] + 1]; p < e; p++) {
      const t = terms[p];
      if (stamp[t] !== epoch) {
        stamp[t] = epoch;
        const a = deg1[t];
        const b = deg2[t];
        const now = a * (logN1 - log2[a + 1]) + b * (logN2 - log2[b + 1]);
        // Moving one document with t from the left to the right: (a − 1, b + 1); and back: (a + 1, b − 1).
        gainTo2[t] = a > 0 ? now - ((a - 1) * (logN1 - log2[a]) + (b + 1) * (logN2 - log2[b + 2])) : 0;
        gainTo1[t] = b > 0 ? now - ((a + 1) * (logN1 - log2[a + 2]) + (b - 1) * (logN2 - log2[b])) : 0;
      }
      g += toRight ? gainTo2[t] : gainTo1[t];
    }
    gains[i] = g;
  }
}

/**
 * Swaps the m best-gaining documents of each half, m being the number of pairs (i-th best left, i-th best
 * right) whose gains sum to more than 0, found on a histogram of the gains. Returns m.
 */
function swapBest(s: State, lo: number, mid: number, hi: number): number {
  const { gains, perm, picks, deg1, deg2 } = s;
  const { docStart, terms } = s.graph;
  let min = Infinity;
  let max = -Infinity;
  for (let i = lo; i < hi; i++) {
    if (gains[i] < min) min = gains[i];
    if (gains[i] > max) max = gains[i];
  }
  if (!(max > 0) || max === min) return 0;
  const buckets = Math.min(MAX_BUCKETS, hi - lo);
  const width = (max - min) / buckets;
  const bucketOf = (g: number) => Math.min(buckets - 1, Math.floor((g - min) / width));
  const left = s.histogramLeft.fill(0, 0, buckets);
  const right = s.histogramRight.fill(0, 0, buckets);
  for (let i = lo; i < mid; i++) left[bucketOf(gains[i])]++;
  for (let i = mid; i < hi; i++) right[bucketOf(gains[i])]++;
  // Walk both sorted sequences bucket by bucket (bucket midpoints stand for their gains).
  let m = 0;
  let bl = buckets - 1;
  let br = buckets - 1;
  let remainingLeft = left[bl];
  let remainingRight = right[br];
  for (;;) {
    while (remainingLeft === 0 && bl > 0) remainingLeft = left[--bl];
    while (remainingRight === 0 && br > 0) remainingRight = right[--br];
    if (remainingLeft === 0 || remainingRight === 0) break;
    if (2 * min + (bl + br + 1) * width <= 0) break;
    const take = Math.min(remainingLeft, remainingRight);
    m += take;
    remainingLeft -= take;
    remainingRight -= take;
  }
  if (m === 0) return 0;
  const nLeft = pick(gains, left, buckets, lo, mid, m, bucketOf, picks, 0);
  pick(gains, right, buckets, mid, hi, m, bucketOf, picks, nLeft);
  for (let k = 0; k < m; k++) {
    const i = picks[k];
    const j = picks[nLeft + k];
    const a = perm[i];
    const b = perm[j];
    for (let p = docStart[a], e = docStart[a + 1]; p < e; p++) (deg1[terms[p]]--, deg2[terms[p]]++);
    for (let p = docStart[b], e = docStart[b + 1]; p < e; p++) (deg1[terms[p]]++, deg2[terms[p]]--);
    perm[i] = b;
    perm[j] = a;
  }
  return m;
}

/** Writes the positions of the m highest gains of [from, to) into picks[at..]; returns m. */
function pick(gains: Float64Array, histogram: Int32Array, buckets: number, from: number, to: number, m: number, bucketOf: (g: number) => number, picks: Uint32Array, at: number): number {
  let threshold = buckets - 1;
  let above = 0; // documents in buckets > threshold
  while (above + histogram[threshold] < m) above += histogram[threshold--];
  let quota = m - above; // taken from the threshold bucket, first come first served
  let k = at;
  for (let i = from; i < to; i++) {
    const b = bucketOf(gains[i]);
    if (b > threshold || (b === threshold && quota-- > 0)) picks[k++] = i;
  }
  return m;
}
