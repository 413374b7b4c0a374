/**
 * SparseMarginMSELoss (sentence-transformers sparse_encoder/losses, = MarginMSELoss, Hofstätter et al. 2020,
 * arXiv:2010.02666): distillation from a teacher's score margins.
 *   margin_j = q·p − q·n_j (row-wise dot products),   loss = mean_{i,j} (margin_ij − label_ij)²
 * `labels` [B, k] holds the teacher margins teacher(q, p) − teacher(q, n_j), one column per negative.
 */
import type { GraphBuilder, V } from "../../graph/builder.js";

function rowDot(g: GraphBuilder, a: V, b: V): V {
  return g.reduceSum(g.mul(a, b), [1], true); // [B, 1]
}

/** `query`, `positive`, each negative [B, V]; `labels` [B, k]. Returns the scalar loss. */
export function sparseMarginMseLoss(g: GraphBuilder, query: V, positive: V, negatives: V[], labels: V): V {
  const pos = rowDot(g, query, positive); // [B, 1]
  const negs = negatives.map((n) => rowDot(g, query, n)); // k × [B, 1]
  const margins = g.sub(pos, negs.length === 1 ? negs[0] : g.concat(negs, 1)); // [B, k]
  const diff = g.sub(margins, labels);
  return g.op("ReduceMean", [g.mul(diff, diff)], { keepdims: 0 }) as V; // scalar
}
