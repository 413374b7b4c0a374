/**
 * FLOPS regularizer (Paria et al. 2020, "Minimizing FLOPs to learn efficient sparse representations"), as
 * sentence-transformers' sparse_encoder/losses/FlopsLoss.py computes it:
 *   FLOPS(W) = Σ_v ( mean_n W[n, v] )²          W [N, V], the batch's embeddings stacked
 * With a threshold, rows whose number of non-zero weights is ≤ threshold are zeroed first (they are sparse
 * enough); the mean still divides by all N rows, as upstream.
 */
import type { GraphBuilder, V } from "../../graph/builder.js";

export interface FlopsOptions {
  /** Upstream `document_regularizer_threshold` / `query_regularizer_threshold` (default none). */
  threshold?: number;
}

/** Scalar FLOPS of `embeddings` [N, V]. */
export function flopsRegularizer(g: GraphBuilder, embeddings: V, options: FlopsOptions = {}): V {
  let w = embeddings;
  if (options.threshold !== undefined) {
    const nonZero = g.cast(g.op("Not", [g.equal(w, g.constScalar(0))]) as V, "float32"); // [N, V]
    const l0 = g.reduceSum(nonZero, [1], true); // [N, 1]
    w = g.mul(w, g.cast(g.greater(l0, g.constScalar(options.threshold)), "float32")); // [N, V]
  }
  const mean = g.reduceMean(w, [0], false); // [V]
  return g.reduceSum(g.mul(mean, mean), [0], false); // scalar
}
