/**
 * Defaults of the HTTP service, in one place, each with its reason. Every limit is an option of
 * createServer (options.ts) and is published in /openapi.json through the schemas (schemas.ts).
 */
export const SERVER_DEFAULTS = {
  /** Bind address: loopback only unless told otherwise (the issue: "binds 127.0.0.1 unless told otherwise"). */
  host: "127.0.0.1",
  port: 8080,
  /** Largest request body: 1,000 documents of ~4 KB (a long abstract) fit. Larger bodies get 413. */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Largest k: deeper lists are a different job (export the index). Elasticsearch caps from+size at 10,000. */
  maxK: 1000,
  /** Queries in one /search request. */
  maxQueries: 100,
  /** Texts in one /encode request: a few forward passes of a SPLADE model at batch 32. */
  maxTexts: 256,
  /** Documents in one write request. */
  maxDocuments: 1000,
  /** Terms in a query vector given directly (a SPLADE query has tens to hundreds). */
  maxVectorTerms: 30_522,
  /** Characters in a document id. */
  maxIdLength: 512,
  /** RRF: hits taken from each index before fusion (as `splade search`), at least k. */
  fusionDepth: 100,
  /** Graceful shutdown: in-flight requests get this long to finish before writes are rolled back. */
  shutdownTimeoutMs: 10_000,
  /** Group commit: documents per commit when many small writes queue up. */
  maxCommitDocuments: 10_000,
  /** Merge policy: merge the newest segments once this many of about the same size have accumulated
   * (Lucene's LogMergePolicy mergeFactor, 10). */
  mergeFactor: 10,
  /** Encoder lane: texts per encoding run when requests are batched together. */
  maxEncodeBatch: 64,
} as const;

export type ServerLimits = {
  readonly maxBodyBytes: number;
  readonly maxK: number;
  readonly maxQueries: number;
  readonly maxTexts: number;
  readonly maxDocuments: number;
  readonly maxVectorTerms: number;
  readonly maxIdLength: number;
};
