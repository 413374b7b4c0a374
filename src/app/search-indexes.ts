/**
 * Use-case behind `splade search`: encode queries with each index's model (the one its manifest records, or
 * an override), search every index (exactly, or approximately on request), and fuse the lists with
 * reciprocal-rank fusion when there are several (index/fusion.ts). Each index is queried with its own encoder because BM25 and SPLADE live in
 * different term spaces. With `threads` > 1 the searches run on worker threads (index/search-pool.ts): a
 * queries file spread over them, or one query split across an index's segments. Exact results are the same;
 * approximate ones are too for a queries file, while a split query keeps a candidate pool per part (scores
 * still exact, recall at the same knobs measured higher: BENCHMARKS.md).
 */
import { SpladeError, check } from "../util/errors.js";
import { SparseIndex } from "../index/sparse-index.js";
import { SearchPool } from "../index/search-pool.js";
import type { SparseVector } from "../sparse/vector.js";
import { reciprocalRankFusion } from "../index/fusion.js";
import { RRF_DEFAULTS, INDEX_DEFAULTS } from "../index/defaults.js";
import type { SearchAlgorithm } from "../index/search.js";
import type { ApproximateSearchOptions } from "../index/approximate-search.js";
import { parseModelRecord, type DocumentEncoder } from "./document-encoder.js";
import { createEncoder, encoderFromRecord, type EncoderOptions } from "./encoders.js";

export interface QueryText {
  readonly id: string;
  readonly text: string;
}

export interface ResultHit {
  readonly id: string;
  readonly score: number;
  readonly payload?: unknown;
}

export interface QueryResult {
  readonly queryId: string;
  readonly hits: ResultHit[];
}

export interface SearchIndexesOptions {
  readonly k?: number;
  /** How several indexes are combined; only "rrf". */
  readonly fusion?: "rrf";
  readonly rrfK?: number;
  /** Hits taken from each index before fusion (default max(k, 100)). */
  readonly fusionDepth?: number;
  /** Use this model spec for every index instead of the recorded one. */
  readonly model?: string;
  readonly algorithm?: SearchAlgorithm;
  /** Approximate search (index/approximate-search.ts): true for the defaults, or knobs. */
  readonly approximate?: boolean | Partial<ApproximateSearchOptions>;
  readonly encoder?: EncoderOptions;
  /**
   * Threads searching each index (default 1: this one). With more, several queries are spread over that many
   * worker threads (SearchPool.search), and a single query's segments are split between this thread and
   * threads − 1 workers that share the k-th score (SearchPool.searchSplit).
   */
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

type SearchSettings = Pick<SearchIndexesOptions, "algorithm" | "approximate" | "threads" | "onProgress"> & { k: number };

async function searchVectors(index: SparseIndex, vectors: readonly SparseVector[], o: SearchSettings): Promise<ResultHit[][]> {
  const { k, algorithm, approximate } = o;
  const threads = o.threads ?? 1;
  const single = vectors.length === 1;
  // One thread, nothing to search, or one query over one segment (nothing to split): no pool.
  if (threads <= 1 || vectors.length === 0 || (single && index.segments.length < 2)) {
    return vectors.map((vector, i) => {
      o.onProgress?.(i + 1, vectors.length);
      return index.search(vector, { k, algorithm, approximate });
    });
  }
  const pool = await SearchPool.create(index, { threads: single ? threads - 1 : threads });
  try {
    const found = single ? [await pool.searchSplit(vectors[0], { k, algorithm, approximate, caller: true })] : await pool.search(vectors, { k, algorithm, approximate });
    o.onProgress?.(vectors.length, vectors.length);
    return found.map((list) => index.hits(list));
  } finally {
    await pool.close();
  }
}

export async function searchIndexes(dirs: readonly string[], queries: readonly QueryText[], options: SearchIndexesOptions = {}): Promise<QueryResult[]> {
  if (dirs.length === 0) throw new SpladeError("INVALID_ARGUMENT", "no index to search");
  if (dirs.length > 1 && options.fusion !== "rrf") throw new SpladeError("INVALID_ARGUMENT", "several indexes need a fusion method (--fusion rrf)");
  const k = options.k ?? INDEX_DEFAULTS.k;
  const depth = dirs.length > 1 ? Math.max(k, options.fusionDepth ?? 100) : k;
  check(options.threads === undefined || (Number.isInteger(options.threads) && options.threads >= 1), `threads must be a positive integer, got ${options.threads}`);
  const perIndex: ResultHit[][][] = [];
  for (const dir of dirs) {
    const index = await SparseIndex.open(dir, { shared: (options.threads ?? 1) > 1 });
    const encoder: DocumentEncoder = options.model !== undefined
      ? await createEncoder(options.model, options.encoder)
      : await encoderFromRecord(parseModelRecord(index.model, dir), options.encoder);
    try {
      const vectors = await encoder.encodeQueries(queries.map((q) => q.text));
      perIndex.push(await searchVectors(index, vectors, { ...options, k: depth }));
    } finally {
      await encoder.release();
    }
  }
  return queries.map((query, i) => {
    const lists = perIndex.map((hits) => hits[i]);
    const hits = lists.length === 1 ? lists[0] : reciprocalRankFusion(lists, { k: options.rrfK ?? RRF_DEFAULTS.k, limit: k });
    return { queryId: query.id, hits };
  });
}
