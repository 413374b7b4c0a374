/**
 * The NanoBEIR mean column, as sentence-transformers' SparseNanoBEIREvaluator computes it:
 * - retrieval metrics: unweighted mean over datasets (NanoBEIREvaluator's `aggregate_fn=np.mean` over the
 *   per-dataset values), so every dataset weighs the same whatever its number of queries;
 * - `*_active_dims` and `*_sparsity_ratio`: means weighted by each dataset's number of (evaluated) queries,
 *   resp. corpus documents — i.e. the per-vector mean over the pooled vectors;
 * - `avg_flops`: not averaged (a mean of FLOPS is not the FLOPS of the pooled collection) but recomputed
 *   from the pooled count vectors: (Σ query counts / Σ queries) · (Σ corpus counts / Σ documents).
 * Pooling the sparsity counts and recomputing all five statistics gives exactly those weighted means.
 */
import { SpladeError } from "../util/errors.js";
import type { DatasetResult } from "./encoded-evaluation.js";
import type { MetricValues } from "./ir-metrics.js";
import { mergeSparsityCounts, sparsityStats } from "./sparsity.js";

/** Upstream's name for the aggregate: `NanoBEIR_{aggregate_key}` with aggregate_key "mean". */
export const NANOBEIR_MEAN_NAME = "NanoBEIR_mean";

export function nanoBeirMean(results: readonly DatasetResult[], name: string = NANOBEIR_MEAN_NAME): DatasetResult {
  if (results.length === 0) throw new SpladeError("INVALID_ARGUMENT", "no dataset results to average");
  const keys = Object.keys(results[0].metrics);
  const metrics: MetricValues = {};
  for (const key of keys) {
    let sum = 0;
    for (const result of results) {
      const value = result.metrics[key];
      if (value === undefined) throw new SpladeError("INVALID_ARGUMENT", `${result.name} has no metric ${key}`);
      sum += value;
    }
    metrics[key] = sum / results.length;
  }
  const query = mergeSparsityCounts(results.map((r) => r.sparsityCounts.query));
  const corpus = mergeSparsityCounts(results.map((r) => r.sparsityCounts.corpus));
  return {
    name,
    queryCount: results.reduce((n, r) => n + r.queryCount, 0),
    corpusCount: results.reduce((n, r) => n + r.corpusCount, 0),
    metrics,
    sparsity: sparsityStats(query, corpus),
    sparsityCounts: { query, corpus },
  };
}
