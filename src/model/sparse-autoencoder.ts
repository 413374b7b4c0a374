/**
 * CSR's SparseAutoEncoder at inference (sentence-transformers sparse_encoder/models/SparseAutoEncoder.py,
 * `torch.is_inference_mode_enabled()` branch), in the graph:
 *   x ← LN(x) when `normalize` (x − mean, divided by the unbiased std + 1e-5, as its `LN`)
 *   z = (x − pre_bias) · Wᵀ + latent_bias          W = the encoder matrix [H, D]
 *   keep the k largest entries of z (signed, not by |z|: torch.topk), then ReLU.
 * Only the k kept entries leave the graph, as (values, indices), so a wide latent space costs no dense output.
 * The matrix is stored once for the tied encoder/decoder pair, under `encoder.weight` or `decoder.linear.weight`
 * (what `save_model` keeps of the tie); the caller passes the key that exists.
 *
 * Shapes: B batch, D input dimension, H latent (hidden) dimension, K kept entries.
 */
import type { V } from "../graph/builder.js";
import type { ModelContext } from "./context.js";
import { matmulT } from "./layers.js";

export interface SparseAutoEncoderOptions {
  inputDim: number;
  hiddenDim: number;
  normalize: boolean;
  /** Key of the encoder matrix [H, D] in the module's weights. */
  matrixKey: string;
  /** Prefix of the module's parameter keys in `ctx.param` (e.g. "2_SparseAutoEncoder/"). */
  prefix: string;
}

export interface TopKLatents {
  /** [B, K], ReLU applied (descending before the ReLU). */
  values: V;
  /** int64 [B, K], latent ids. */
  indices: V;
}

/** x [B, D] and k (int64 [1], 1 ≤ k ≤ H) → the top-k latents. */
export function sparseAutoEncoder(ctx: ModelContext, x: V, k: V, o: SparseAutoEncoderOptions): TopKLatents {
  const { g } = ctx;
  let input = x;
  if (o.normalize) {
    const centered = g.sub(input, g.reduceMean(input, [-1], true)); // [B, D]
    const variance = g.div(g.reduceSum(g.mul(centered, centered), [-1], true), g.constScalar(o.inputDim - 1)); // [B, 1]
    input = g.div(centered, g.add(g.sqrt(variance), g.constScalar(1e-5)));
  }
  const shifted = g.sub(input, ctx.param(`${o.prefix}pre_bias`, [o.inputDim])); // [B, D]
  const z = g.add(matmulT(ctx, shifted, [`${o.prefix}${o.matrixKey}`], o.inputDim, [o.hiddenDim]), ctx.param(`${o.prefix}latent_bias`, [o.hiddenDim])); // [B, H]
  const [values, indices] = g.op("TopK", [z, k], { axis: -1, largest: 1, sorted: 1 }, { outputs: 2 }) as V[]; // [B, K] each
  return { values: g.relu(values), indices };
}
