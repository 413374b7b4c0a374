/**
 * Sparsity statistics of encoded queries and documents, as sentence-transformers'
 * SparseInformationRetrievalEvaluator reports them:
 * - `*_active_dims`: mean number of non-zero dimensions per vector;
 * - `*_sparsity_ratio`: 1 − active_dims / V (V = 30,522 for BERT vocabularies);
 * - `avg_flops`: Σ_j p_q(j)·p_d(j), with p(j) the fraction of query (document) vectors in which dimension j
 *   is active: the expected number of dimensions a random query and document share, i.e. the mean over all
 *   query × document pairs of shared active dimensions (upstream: the dot product of the mean count vectors,
 *   `compute_count_vector`; Paria et al. 2020, "Minimizing FLOPs to learn efficient sparse representations").
 * Upstream averages query stats over its encode calls and weights corpus stats by chunk length, which is the
 * per-vector mean either way; the NanoBEIR mean weights datasets by their query/corpus counts and recomputes
 * FLOPS from the pooled count vectors. Both are exactly "pool the counts, then divide", which is what
 * `mergeSparsityCounts` + `sparsityStats` do. Dimensions: V vocabulary.
 */
import type { SparseVector } from "../sparse/vector.js";
import { SpladeError } from "../util/errors.js";

/** Sufficient statistics of a set of vectors: everything the means and FLOPS need, and mergeable. */
export interface SparsityCounts {
  readonly vocabSize: number;
  readonly vectorCount: number;
  /** Σ over vectors of their number of non-zero values. */
  readonly activeTotal: number;
  /** Per dimension, the number of vectors in which it is non-zero. [V] */
  readonly dimCounts: Float64Array;
}

/** Upstream key names (prefixed with the dataset name in reports). */
export interface SparsityStats {
  readonly query_active_dims: number;
  readonly query_sparsity_ratio: number;
  readonly corpus_active_dims: number;
  readonly corpus_sparsity_ratio: number;
  readonly avg_flops: number;
}

export const SPARSITY_KEYS = [
  "query_active_dims",
  "query_sparsity_ratio",
  "corpus_active_dims",
  "corpus_sparsity_ratio",
  "avg_flops",
] as const satisfies ReadonlyArray<keyof SparsityStats>;

export function sparsityCounts(vectors: readonly SparseVector[], vocabSize: number): SparsityCounts {
  const dimCounts = new Float64Array(vocabSize); // [V]
  let activeTotal = 0;
  vectors.forEach((vector, row) => {
    const { indices, values } = vector;
    for (let i = 0; i < indices.length; i++) {
      if (values[i] === 0) continue;
      const dim = indices[i];
      if (dim >= vocabSize) {
        throw new SpladeError("INVALID_ARGUMENT", `vector ${row} has dimension ${dim}, outside the vocabulary of ${vocabSize}`);
      }
      dimCounts[dim]++;
      activeTotal++;
    }
  });
  return { vocabSize, vectorCount: vectors.length, activeTotal, dimCounts };
}

export function mergeSparsityCounts(parts: readonly SparsityCounts[]): SparsityCounts {
  if (parts.length === 0) throw new SpladeError("INVALID_ARGUMENT", "no sparsity counts to merge");
  const vocabSize = parts[0].vocabSize;
  const dimCounts = new Float64Array(vocabSize); // [V]
  let vectorCount = 0;
  let activeTotal = 0;
  for (const part of parts) {
    if (part.vocabSize !== vocabSize) {
      throw new SpladeError("INVALID_ARGUMENT", `cannot pool sparsity counts of vocabularies ${vocabSize} and ${part.vocabSize}`);
    }
    vectorCount += part.vectorCount;
    activeTotal += part.activeTotal;
    for (let j = 0; j < vocabSize; j++) dimCounts[j] += part.dimCounts[j];
  }
  return { vocabSize, vectorCount, activeTotal, dimCounts };
}

function activeDims(counts: SparsityCounts): number {
  return counts.vectorCount === 0 ? 0 : counts.activeTotal / counts.vectorCount;
}

/** The five upstream statistics from query and corpus counts. */
export function sparsityStats(query: SparsityCounts, corpus: SparsityCounts): SparsityStats {
  if (query.vocabSize !== corpus.vocabSize) {
    throw new SpladeError("INVALID_ARGUMENT", `query and corpus vocabularies differ (${query.vocabSize} vs ${corpus.vocabSize})`);
  }
  let flops = 0;
  if (query.vectorCount > 0 && corpus.vectorCount > 0) {
    for (let j = 0; j < query.vocabSize; j++) flops += query.dimCounts[j] * corpus.dimCounts[j];
    flops /= query.vectorCount * corpus.vectorCount;
  }
  const queryActive = activeDims(query);
  const corpusActive = activeDims(corpus);
  return {
    query_active_dims: queryActive,
    query_sparsity_ratio: 1 - queryActive / query.vocabSize,
    corpus_active_dims: corpusActive,
    corpus_sparsity_ratio: 1 - corpusActive / corpus.vocabSize,
    avg_flops: flops,
  };
}
