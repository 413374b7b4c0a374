/**
 * Top-k search over a list of live segments (segment-query.ts) with one shared heap, so that the threshold
 * reached in one segment prunes the next. Ordinals are global insertion order (segment base + doc number).
 */
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { validateSparseVector } from "../sparse/validate.js";
import { TopK, type ScoredOrdinal } from "./top-k.js";
import { resolveQuery, SearchScratch, type LiveSegment, type SegmentQuery } from "./segment-query.js";
import { exhaustiveSearchSegment } from "./exhaustive.js";
import { blockMaxSearchSegment } from "./block-max-pruning.js";

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
}

export function searchSegments(segments: readonly LiveSegment[], query: SparseVector, options: SegmentSearchOptions): ScoredOrdinal[] {
  const algorithm = options.algorithm ?? "bmp";
  const run = BY_NAME[algorithm];
  if (run === undefined) throw new SpladeError("INVALID_ARGUMENT", `unknown search algorithm "${algorithm}" (one of ${SEARCH_ALGORITHMS.join(", ")})`);
  validateSparseVector(query, { label: "query", nonNegative: true });
  const heap = new TopK(options.k);
  const scratch = options.scratch ?? new SearchScratch();
  for (const live of segments) run(live, resolveQuery(live.segment, query), heap, scratch, options.seedBlocks);
  return heap.sorted();
}
