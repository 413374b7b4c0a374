/**
 * Worker thread of search-pool.ts: holds the index's segments (typed arrays over SharedArrayBuffers, so
 * nothing is copied) and answers batches of already-weighted query vectors with top-k ordinals.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Segment } from "./segment.js";
import type { LiveSegment } from "./segment-query.js";
import { SearchScratch } from "./segment-query.js";
import { searchSegments, type SearchAlgorithm } from "./search.js";
import type { ApproximateSearchOptions } from "./approximate-search.js";
import { errorData, type ErrorData } from "../util/errors.js";
import { sharedFloors } from "./shared-floor.js";

export interface WorkerInit {
  readonly segments: ReadonlyArray<{ segment: Segment; deleted: Uint32Array | null; baseOrdinal: number }>;
  /** The pool's shared-floor cells (an Int32Array over a SharedArrayBuffer; shared-floor.ts). */
  readonly floors: Int32Array;
}

export interface WorkerRequest {
  readonly id: number;
  readonly queries: ReadonlyArray<{ indices: Uint32Array; values: Float32Array }>;
  readonly k: number;
  readonly algorithm: SearchAlgorithm;
  readonly approximate?: ApproximateSearchOptions;
  /** Search only these segments (positions in the index), for intra-query parallelism; all when absent. */
  readonly segments?: readonly number[];
  /** With `segments`: the query's pair of cells in `floors` (heap, then pool), shared with the other threads. */
  readonly floor?: number;
}

export interface WorkerReply {
  readonly id: number;
  readonly results?: Array<{ ordinals: Float64Array; scores: Float64Array }>;
  readonly error?: ErrorData;
}

const init = workerData as WorkerInit;
const live: LiveSegment[] = init.segments.map((s) => ({ segment: s.segment, deleted: s.deleted, baseOrdinal: s.baseOrdinal }));
const scratch = new SearchScratch();

parentPort!.postMessage({ id: -1 } satisfies WorkerReply); // ready
parentPort!.on("message", (request: WorkerRequest) => {
  try {
    const segments = request.segments === undefined ? live : request.segments.map((s) => live[s]);
    const shared = request.floor === undefined ? undefined : sharedFloors(init.floors, request.floor);
    const results = request.queries.map((query) => {
      const hits = searchSegments(segments, query, { k: request.k, algorithm: request.algorithm, scratch, approximate: request.approximate, shared });
      return { ordinals: Float64Array.from(hits, (h) => h.ordinal), scores: Float64Array.from(hits, (h) => h.score) };
    });
    parentPort!.postMessage({ id: request.id, results } satisfies WorkerReply);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: errorData(error) } satisfies WorkerReply);
  }
});
