/**
 * Defaults of the retrieval half, in one place, each with its source.
 */
export const INDEX_DEFAULTS = {
  /**
   * Documents per block of the block-max structure. Mallia, Suel & Tonellotto, "Faster Learned Sparse
   * Retrieval with Block-Max Pruning" (SIGIR 2024) find 32–64 best on MS MARCO; here 32 and 64 gave the same
   * latency at 1M documents and 64 the smaller index (BENCHMARKS.md, Search). A power of two ≤ 256 (doc
   * offsets are u8).
   */
  blockSize: 64,
  /**
   * Blocks per superblock (two-level bounds; Carlson et al., SIGIR 2025). 16 blocks of 64 = 1,024 documents:
   * the superblock pass costs 1/16 of a block pass. Power of two ≤ 256 (block offsets are u8).
   */
  superblockSize: 16,
  /** Document reordering inside a segment (reorder.ts): recursive graph bisection, as the BMP paper. */
  reorder: "bp" as "none" | "top-terms" | "bp",
  /** Stored impact type: float32 (exact weights) unless u8 quantization is asked for. */
  impact: "f32" as "f32" | "u8",
  /**
   * A segment is flushed once it holds this many postings (2^27 ≈ 134M, about 1.1M SPLADE documents of 120
   * non-zeros): bounds build memory and keeps every section far below the 4 GiB typed-array limit.
   */
  maxSegmentPostings: 2 ** 27,
  /** Results per query: BEIR and MS MARCO report @10. */
  k: 10,
} as const;

/**
 * Build-time knobs of approximate search (clustered-lists.ts), after Seismic's defaults (Bruch et al., SIGIR
 * 2024; TusKANNy/seismic `configurations.rs`: GlobalThreshold max_fraction 1.5, centroid_fraction 0.1,
 * summary_energy 0.4). `postingsPerTerm` is per segment (segments hold up to ~1.1M SPLADE documents);
 * measured with the search benchmark (BENCHMARKS.md).
 */
export const APPROXIMATE_BUILD_DEFAULTS = {
  postingsPerTerm: 1000,
  maxPostingsFactor: 1.5,
  clusterSize: 10,
  summaryEnergy: 0.4,
  summaryComponents: 32,
} as const;

/**
 * Query-time knobs of approximate search (approximate-search.ts). Seismic's guidelines suggest query_cut 10
 * and heap_factor in [0.7, 1]. These are conservative: 99 % recall@10 on the 1M search benchmark
 * (BENCHMARKS.md lists faster settings at 90–97 %), and ≥ 0.9 on the small random corpora of the tests, where
 * heapFactor 0.9 or 8 query terms fall below. 5·k candidates cost little more than 2·k: bounds rule most of
 * them out before exact rescoring (candidate-bounds.ts).
 */
export const APPROXIMATE_SEARCH_DEFAULTS = {
  queryTerms: 10,
  heapFactor: 0.8,
  rescore: 5,
  docTerms: 1 << 30,
} as const;

/** Lucene/Anserini BM25 defaults: Anserini SearchCollection `-bm25.k1 0.9 -bm25.b 0.4`. */
export const BM25_DEFAULTS = { k1: 0.9, b: 0.4 } as const;

/** Reciprocal-rank fusion constant: Cormack, Clarke & Büttcher (SIGIR 2009), k = 60. */
export const RRF_DEFAULTS = { k: 60 } as const;

/** Term ids must be below this (2^24): build uses dense per-term counters. BERT's vocabulary is 30,522. */
export const MAX_TERM_ID_EXCLUSIVE = 2 ** 24;

