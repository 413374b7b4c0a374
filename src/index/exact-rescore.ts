/**
 * Exact scores of a few documents, looked up in the term-major postings: the last step of approximate
 * search (approximate-search.ts), which finds candidates with quantized forward weights and returns exact
 * dot products. For a document d and a query term, the posting is found through the block structure of
 * segment.ts: d's superblock among the term's superpairs (a search from an interpolated guess, in a window
 * that the ascending, distinct superblock numbers bound), a scan of at most S pairs for d's block, a binary search of d's
 * offset among the pair's postings. Each step is done for all (document, term) lookups before the next, so
 * that their cache misses overlap instead of queuing one behind the other.
 * Which query terms d has comes from the forward index; they are summed in ascending term order, so the
 * float64 sum runs in the order of sparse/ops.ts `dot` and equals the exhaustive scorer's score bit for bit.
 * Shapes: K candidates, Q query terms, T terms, M lookups (≤ K·Q).
 */
import { SpladeError } from "../util/errors.js";
import { TopK, type ScoredOrdinal } from "./top-k.js";
import { u8ValueTable, type Segment } from "./segment.js";
import type { LiveSegment, SearchScratch, SegmentQuery } from "./segment-query.js";

/** The k best of `candidates` (keys: segment base + internal document) by exact score, ties by ordinal. */
export function exactRescore(segments: readonly LiveSegment[], queries: readonly SegmentQuery[], candidates: readonly ScoredOrdinal[], k: number, scratch: SearchScratch): ScoredOrdinal[] {
  const result = new TopK(k);
  segments.forEach((live, s) => {
    const seg = live.segment;
    const end = live.baseOrdinal + seg.docCount;
    const mine = candidates.filter((c) => c.ordinal >= live.baseOrdinal && c.ordinal < end);
    if (mine.length === 0) return;
    const query = queries[s];
    const weight = scratch.float64Zeroed(2, seg.termIds.length); // [T] query weights, reset below
    for (let q = 0; q < query.count; q++) weight[query.termIndex[q]] = query.weight[q];
    // Lookups: (document, term position), terms ascending per document: the document's query terms are
    // marked from its forward postings, then collected in query order (ascending).
    const lookupDoc = scratch.uint32(4, mine.length * query.count); // [M]
    const lookupTerm = scratch.uint32(5, mine.length * query.count); // [M]
    const docEnd = new Uint32Array(mine.length); // [K] end of each document's lookups
    const has = scratch.int32Zeroed(3, seg.termIds.length); // [T] marks, reset as collected
    const { forwardStart, forwardTerms } = seg.approximate!;
    let M = 0;
    mine.forEach((candidate, i) => {
      const d = candidate.ordinal - live.baseOrdinal;
      for (let p = forwardStart[d], e = forwardStart[d + 1]; p < e; p++) if (weight[forwardTerms[p]] !== 0) has[forwardTerms[p]] = 1;
      for (let q = 0; q < query.count; q++) {
        const t = query.termIndex[q];
        if (has[t] === 0) continue;
        has[t] = 0;
        lookupDoc[M] = d;
        lookupTerm[M++] = t;
      }
      docEnd[i] = M;
    });
    const impacts = lookupImpacts(seg, lookupDoc, lookupTerm, M, scratch);
    mine.forEach((candidate, i) => {
      const d = candidate.ordinal - live.baseOrdinal;
      let score = 0;
      for (let m = i === 0 ? 0 : docEnd[i - 1]; m < docEnd[i]; m++) score += weight[lookupTerm[m]] * impacts[m];
      if (score > 0) result.offer(score, live.baseOrdinal + seg.docRank[d]);
    });
    for (let q = 0; q < query.count; q++) weight[query.termIndex[q]] = 0;
  });
  return result.sorted();
}

/**
 * Stored impacts of M (document, term position) pairs that exist (each document has its term). Every
 * random load is first issued in a loop of independent loads ("touch" loops, whose sum is kept so that it is
 * not optimized away), so that the misses of all lookups overlap; the searches then run on cached lines.
 */
function lookupImpacts(seg: Segment, docs: Uint32Array, terms: Uint32Array, M: number, scratch: SearchScratch): Float64Array {
  const { termSuperStart, superBlock, superPairStart, pairBlockOffset, pairPostingStart, postingDocOffset, postingImpacts } = seg;
  const NS = seg.superblockCount;
  const at = scratch.int32Unfilled(8, M); // superpair, then pair, then posting of each lookup
  const start = scratch.int32Unfilled(9, M); // first superpair / pair / posting to look at
  let touched = 0;
  // 1. The superpair of d's superblock. The i-th of a term's n superblock numbers lies in [i, NS − n + i],
  //    so superblock s is at an index in [s − (NS − n), s] (a window of one for terms in every superblock);
  //    inside it, the guess s·n/NS (superblocks spread evenly) is usually a cache line away: gallop from it.
  for (let m = 0; m < M; m++) {
    const s = (docs[m] >>> seg.blockShift) >>> seg.superblockShift;
    const from = termSuperStart[terms[m]];
    const n = termSuperStart[terms[m] + 1] - from;
    const lo = from + Math.max(0, s - (NS - n));
    const hi = from + Math.min(n, s + 1);
    start[m] = Math.min(hi - 1, Math.max(lo, from + Math.floor((s * n) / NS)));
    touched += superBlock[start[m]];
  }
  for (let m = 0; m < M; m++) {
    const s = (docs[m] >>> seg.blockShift) >>> seg.superblockShift;
    const from = termSuperStart[terms[m]];
    const n = termSuperStart[terms[m] + 1] - from;
    let lo = from + Math.max(0, s - (NS - n));
    let hi = from + Math.min(n, s + 1); // exclusive
    const guess = start[m];
    if (superBlock[guess] < s) {
      lo = guess + 1;
      for (let step = 1; ; step *= 2) {
        const probe = lo + step - 1;
        if (probe >= hi) break;
        if (superBlock[probe] >= s) {
          hi = probe + 1;
          break;
        }
        lo = probe + 1;
      }
    } else {
      hi = guess + 1;
      for (let step = 1; ; step *= 2) {
        const probe = hi - 1 - step;
        if (probe < lo) break;
        if (superBlock[probe] < s) {
          lo = probe + 1;
          break;
        }
        hi = probe + 1;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (superBlock[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= from + n || superBlock[lo] !== s) disagree(seg, terms[m], docs[m]);
    at[m] = lo;
  }
  // 2. The pair of d's block.
  for (let m = 0; m < M; m++) start[m] = superPairStart[at[m]];
  for (let m = 0; m < M; m++) touched += pairBlockOffset[start[m]];
  const superMask = seg.superblockSize - 1;
  for (let m = 0; m < M; m++) {
    const offset = (docs[m] >>> seg.blockShift) & superMask;
    let j = start[m];
    const end = superPairStart[at[m] + 1];
    while (j < end && pairBlockOffset[j] !== offset) j++;
    if (j === end) disagree(seg, terms[m], docs[m]);
    at[m] = j;
  }
  // 3. The posting of d in the pair, and its impact.
  for (let m = 0; m < M; m++) start[m] = pairPostingStart[at[m]];
  for (let m = 0; m < M; m++) touched += postingDocOffset[start[m]];
  const blockMask = seg.blockSize - 1;
  for (let m = 0; m < M; m++) {
    const docOffset = docs[m] & blockMask;
    let a = start[m];
    const end = pairPostingStart[at[m] + 1];
    while (a < end && postingDocOffset[a] < docOffset) a++;
    if (a === end || postingDocOffset[a] !== docOffset) disagree(seg, terms[m], docs[m]);
    at[m] = a;
  }
  const u8Values = seg.impactKind === "u8" ? u8ValueTable(seg.impactScale) : null;
  const impacts = scratch.float64(4, M);
  for (let m = 0; m < M; m++) impacts[m] = u8Values ? u8Values[postingImpacts[at[m]]] : postingImpacts[at[m]];
  sink ^= touched;
  return impacts;
}

/** Keeps the touch loops' loads observable. */
export let sink = 0;

function disagree(seg: Segment, ti: number, d: number): never {
  throw new SpladeError("INVALID_FILE", `segment forward and inverted postings disagree (term ${seg.termIds[ti]}, document ${d})`);
}
