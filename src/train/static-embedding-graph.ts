/**
 * sentence-transformers' SparseStaticEmbedding.forward (sparse_encoder/models/SparseStaticEmbedding.py) as graph
 * nodes, for training the inference-free query side:
 *   presence[b, v] = 1 when token v occurs at an unmasked position of row b, else 0     (no counts)
 *   embedding[b, v] = presence[b, v] · weight[v]
 * so ∂loss/∂weight[v] = Σ_b presence[b, v] · ∂loss/∂embedding[b, v] — the Mul rule's broadcast sum; the presence
 * itself depends on no parameter, so no new gradient rule is involved.
 *
 * Upstream scatters the attention mask into a zero matrix at the input ids, so a padding position writes 0 at the
 * pad id and a real occurrence writes 1; when both land on the pad column the result depends on scatter order.
 * Here padding never counts: every position writes 1 (duplicates write equal values, so the result does not
 * depend on the order or threading of ScatterElements) and the pad id's column is zeroed afterwards. That
 * differs from upstream only for a literal "[PAD]" typed into a query, whose weight is 0 in every shipped model.
 *
 * Shapes: B rows, T tokens (without special tokens), V vocabulary.
 */
import type { GraphBuilder, V } from "../graph/builder.js";

export interface StaticEmbeddingOptions {
  vocabSize: number;
  padId: number;
}

/** ids, mask int64 [B, T]; weight float32 [V]. Returns the embeddings [B, V]. */
export function sparseStaticEmbedding(g: GraphBuilder, weight: V, ids: V, mask: V, o: StaticEmbeddingOptions): V {
  const batch = g.slice(g.shape(ids), [0], [1], [0]); // [1] = B
  const zeros = g.op("ConstantOfShape", [g.concat([batch, g.constInt64([o.vocabSize])], 0)], { value: { dtype: "float32", dims: [1], data: new Float32Array([0]) } }) as V; // [B, V]
  const ones = g.op("ConstantOfShape", [g.shape(ids)], { value: { dtype: "float32", dims: [1], data: new Float32Array([1]) } }) as V; // [B, T]
  const pad = g.constInt64([o.padId]);
  const positions = g.where(g.equal(mask, g.constInt64([0])), pad, ids); // [B, T]: padding points at the pad id
  const seen = g.op("ScatterElements", [zeros, positions, ones], { axis: 1 }) as V; // [B, V]
  const padColumn = g.op("Expand", [g.reshape(pad, [1, 1]), g.concat([batch, g.constInt64([1])], 0)]) as V; // [B, 1]
  const noPad = g.op("Expand", [g.constFloat([0], [1, 1]), g.concat([batch, g.constInt64([1])], 0)]) as V; // [B, 1]
  const presence = g.op("ScatterElements", [seen, padColumn, noPad], { axis: 1 }) as V; // [B, V]
  return g.mul(presence, weight); // [B, V]
}
