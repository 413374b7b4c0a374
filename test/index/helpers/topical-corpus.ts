/** Small random corpora with topics, for the approximate-search tests (recall thresholds are stated there). */
import { fromEntries } from "../../../src/sparse/ops.js";
import type { SparseVector } from "../../../src/sparse/vector.js";
import { Rng } from "../../../src/util/rng.js";

/**
 * A small random corpus with topics, as learned sparse vectors have: each document draws most of its terms
 * from one of `topics` overlapping term ranges, the rest anywhere, with heavy-tailed weights. Queries are
 * drawn the same way (longer than the default query-term cut of 10, so that the cut matters).
 */
export function topicalVector(rng: Rng, vocab: number, topics: number, nnz: number): SparseVector {
  const width = Math.floor((2 * vocab) / topics);
  const start = rng.int(topics) * Math.floor(vocab / topics);
  const entries = new Map<number, number>();
  for (let i = 0; i < nnz; i++) {
    const term = rng.next() < 0.8 ? (start + rng.int(width)) % vocab : rng.int(vocab);
    entries.set(term, Math.fround(0.05 + 3 * rng.next() ** 2));
  }
  return fromEntries(entries);
}

export function randomCorpus(seed: number, docs: number, queries: number, vocab = 2000, topics = 20) {
  const rng = new Rng(seed);
  return {
    docs: Array.from({ length: docs }, () => topicalVector(rng, vocab, topics, 40)),
    queries: Array.from({ length: queries }, () => topicalVector(rng, vocab, topics, 24)),
  };
}
