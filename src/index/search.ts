/**
 * Top-k search over a list of live segments (segment-query.ts) with one shared heap, so that the threshold
 * reached in one segment prunes the next. Ordinals are global insertion order (segment base + doc number).
 * Exact by default (block-max pruning or exhaustive); approximate on request (approximate-search.ts).
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { validateSparseVector } from "../sparse/validate.js";
import { TopK, type ScoredOrdinal } from "./top-k.js";
import { resolveQuery, SearchScratch, type LiveSegment, type SegmentQuery } from "./segment-query.js";
import { exhaustiveSearchSegment } from "./exhaustive.js";
import { blockMaxSearchSegment } from "./block-max-pruning.js";
import { approximateSearchSegments, type ApproximateSearchOptions } from "./approximate-search.js";
import { APPROXIMATE_SEARCH_DEFAULTS } from "./defaults.js";
import { check } from "../util/errors.js";
import type { SharedFloors } from "./shared-floor.js";

/** "bmp": exact block-max pruning (default); "exhaustive": score every posting (the baseline). */
export type SearchAlgorithm = "bmp" | "exhaustive";
export const SEARCH_ALGORITHMS: readonly SearchAlgorithm[] = ["bmp", "exhaustive"];

type SegmentSearch = (live: LiveSegment, query: SegmentQuery, heap: TopK, scratch: SearchScratch, seedBlocks?: number) => void;
const BY_NAME: Record<SearchAlgorithm, SegmentSearch> = {
  bmp: blockMaxSearchSegment,
  exhaustive: exhaustiveSearchSegment,
};

export interface SegmentSearchOptions {
  readonly k: number;
  readonly algorithm?: SearchAlgorithm;
  /** Reused buffers (one per thread); a fresh one is made when absent. */
  readonly scratch?: SearchScratch;
  /** BMP tuning: blocks scored in bound order before the term-at-a-time phase (block-max-pruning.ts). */
  readonly seedBlocks?: number;
  /**
   * Approximate search (approximate-search.ts) instead of exact: true for the defaults, or knobs. Scores are
   * still exact dot products; only the candidate set is approximate. `algorithm` is then ignored.
   */
  readonly approximate?: boolean | Partial<ApproximateSearchOptions>;
  /**
   * Lower bounds on the query's k-th score shared with threads searching the index's other segments
   * (shared-floor.ts; SearchPool.searchSplit). Exact results stay exact: only scores strictly below are pruned.
   */
  readonly shared?: SharedFloors;
}

/** The approximate-search knobs with defaults filled in and validated, or null for exact search. */
export function resolveApproximateSearch(given: boolean | Partial<ApproximateSearchOptions> | undefined): ApproximateSearchOptions | null {
  if (given === undefined || given === false) return null;
  const options = { ...APPROXIMATE_SEARCH_DEFAULTS, ...(given === true ? {} : given) };
  check(Number.isInteger(options.queryTerms) && options.queryTerms >= 1, `approximate.queryTerms must be a positive integer, got ${options.queryTerms}`);
  check(options.heapFactor > 0 && Number.isFinite(options.heapFactor), `approximate.heapFactor must be a positive number, got ${options.heapFactor}`);
  check(options.rescore >= 1 && Number.isFinite(options.rescore), `approximate.rescore must be a number ≥ 1, got ${options.rescore}`);
  check(Number.isInteger(options.docTerms) && options.docTerms >= 1, `approximate.docTerms must be a positive integer, got ${options.docTerms}`);
  return options;
}

export function searchSegments(segments: readonly LiveSegment[], query: SparseVector, options: SegmentSearchOptions): ScoredOrdinal[] {
  const algorithm = options.algorithm ?? "bmp";
  const run = BY_NAME[algorithm];
  if (run === undefined) throw new SpladeError("INVALID_ARGUMENT", `unknown search algorithm "${algorithm}" (one of ${SEARCH_ALGORITHMS.join(", ")})`);
  validateSparseVector(query, { label: "query", nonNegative: true });
  const scratch = options.scratch ?? new SearchScratch();
  const approximate = resolveApproximateSearch(options.approximate);
  if (approximate !== null) {
    check(Number.isInteger(options.k) && options.k >= 1, `top-k: k must be a positive integer, got ${options.k}`);
    return approximateSearchSegments(segments, segments.map((live) => resolveQuery(live.segment, query)), options.k, approximate, scratch, options.shared);
  }
  const heap = new TopK(options.k);
  if (options.shared !== undefined) heap.share(options.shared.heap);
  for (const live of segments) run(live, resolveQuery(live.segment, query), heap, scratch, options.seedBlocks);
  return heap.sorted();
}
