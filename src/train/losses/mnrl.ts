/**
 * SparseMultipleNegativesRankingLoss (sentence-transformers sparse_encoder/losses, = MultipleNegativesRankingLoss
 * on sparse embeddings): each query's positive must outscore every other document of the batch — the other
 * queries' positives and all hard negatives (in-batch negatives).
 *   S = scale · q · Dᵀ,  D = [positives; negatives_1; …; negatives_k]     q [B, V], D [(k+1)·B, V], S [B, (k+1)·B]
 *   loss = mean_i −log softmax(S_i)[i]   (cross-entropy with labels arange(B))
 * Upstream defaults: scale = 1 for the sparse variant (SparseMultipleNegativesRankingLoss), similarity = dot.
 */
import type { GraphBuilder, V } from "../../graph/builder.js";

export interface MnrlOptions {
  /** Multiplies the similarities before the softmax (upstream SparseMultipleNegativesRankingLoss: 1.0). */
  scale: number;
}

/** `query` [B, V]; `documents` = [positive, ...negatives], each [B, V]. Returns the scalar loss. */
export function sparseMnrlLoss(g: GraphBuilder, query: V, documents: V[], options: MnrlOptions): V {
  const docs = documents.length === 1 ? documents[0] : g.concat(documents, 0); // [(k+1)·B, V]
  let scores = g.matmul(query, g.transpose(docs, [1, 0])); // [B, (k+1)·B]
  if (options.scale !== 1) scores = g.mul(scores, g.constScalar(options.scale));
  const logProbs = g.op("LogSoftmax", [scores], { axis: 1 }) as V; // [B, (k+1)·B]
  const labels = g.op("EyeLike", [scores]) as V; // ones at (i, i): label i for query i
  const picked = g.reduceSum(g.mul(logProbs, labels), [1], false); // [B]
  return g.neg(g.reduceMean(picked, [0], false)); // scalar
}
