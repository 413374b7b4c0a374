/**
 * Use-case behind `splade search`: encode queries with each index's model (the one its manifest records, or
 * an override), search every index (exactly, or approximately on request), and fuse the lists with reciprocal-rank fusion when there are
 * several (index/fusion.ts). Each index is queried with its own encoder because BM25 and SPLADE live in
 * different term spaces.
 */
import { SpladeError } from "../util/errors.js";
import { SparseIndex } from "../index/sparse-index.js";
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
  readonly onProgress?: (done: number, total: number) => void;
}

export async function searchIndexes(dirs: readonly string[], queries: readonly QueryText[], options: SearchIndexesOptions = {}): Promise<QueryResult[]> {
  if (dirs.length === 0) throw new SpladeError("INVALID_ARGUMENT", "no index to search");
  if (dirs.length > 1 && options.fusion !== "rrf") throw new SpladeError("INVALID_ARGUMENT", "several indexes need a fusion method (--fusion rrf)");
  const k = options.k ?? INDEX_DEFAULTS.k;
  const depth = dirs.length > 1 ? Math.max(k, options.fusionDepth ?? 100) : k;
  const perIndex: ResultHit[][][] = [];
  for (const dir of dirs) {
    const index = await SparseIndex.open(dir);
    const encoder: DocumentEncoder = options.model !== undefined
      ? await createEncoder(options.model, options.encoder)
      : await encoderFromRecord(parseModelRecord(index.model, dir), options.encoder);
    try {
      const vectors = await encoder.encodeQueries(queries.map((q) => q.text));
      perIndex.push(vectors.map((vector, i) => {
        options.onProgress?.(i + 1, queries.length);
        return index.search(vector, { k: depth, algorithm: options.algorithm, approximate: options.approximate });
      }));
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
