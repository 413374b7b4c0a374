/**
 * SPLADE pooling inside the graph (sentence-transformers sparse_encoder/models/SpladePooling.py):
 *   w[b, v] = pool_t( log1p(act(logits[b, t, v] · mask[b, t])) )
 * where act is relu ("relu") or log1p∘relu ("log1p_relu": a second log1p), pool is max or sum over tokens,
 * and masked (padding) tokens contribute log1p(relu(0)) = 0. Only [B, V] leaves the graph.
 *
 * Max pooling never forms the activated [B, T, V] tensor: relu and log1p are monotonic and the bias is the
 * same for every token, so  max_t log1p(relu(f_t·Wᵀ + b)) = log1p(relu(max_t(f_t·Wᵀ) + b)),  and the padding
 * tokens' zeros vanish in the relu. Padding rows are replaced by the sequence's first token (its [CLS], always
 * present) before the product, so they cannot win the max. The result equals upstream's exactly in real
 * arithmetic, and in float32 too (rounding is monotonic).
 *
 * Shapes: B batch, T tokens, C hidden, V vocabulary.
 */
import type { V } from "../graph/builder.js";
import type { TransformerConfig } from "./config.js";
import type { ModelContext } from "./context.js";
import { matmulT } from "./layers.js";
import { mlmLogits } from "./mlm.js";
import type { MlmOutputs } from "./outputs.js";

/** The SpladePooling module's config (1_SpladePooling/config.json field values). */
export interface SpladePoolingOptions {
  pooling: "max" | "sum";
  activation: "relu" | "log1p_relu";
}

/** log1p(relu(x)), and a second log1p for "log1p_relu": the activation applied before pooling. */
export function activateSplade(ctx: ModelContext, logits: V, activation: SpladePoolingOptions["activation"]): V {
  const { g } = ctx;
  const log1p = (x: V) => g.log(g.add(x, g.constScalar(1)));
  const once = log1p(g.relu(logits));
  return activation === "log1p_relu" ? log1p(once) : once;
}

/** The SPLADE vector [B, V] from the masked-LM outputs and the attention mask (int64 [B, T]). */
export function spladePooling(ctx: ModelContext, cfg: TransformerConfig, out: MlmOutputs, mask: V, opts: SpladePoolingOptions): V {
  const { g } = ctx;
  if (opts.pooling === "sum") {
    const masked = g.mul(mlmLogits(ctx, cfg, out), g.unsqueeze(g.cast(mask, "float32"), [2])); // [B, T, V]
    return g.reduceSum(activateSplade(ctx, masked, opts.activation), [1]); // [B, V]
  }
  const keep = g.unsqueeze(g.cast(mask, "bool"), [2]); // [B, T, 1]
  const first = g.slice(out.features, [0], [1], [1]); // [B, 1, C]
  const features = g.where(keep, out.features, first); // [B, T, C]
  const products = matmulT(ctx, features, [out.decoderKey], cfg.hidden, [cfg.vocabSize]); // [B, T, V]
  const logits = g.add(g.reduceMax(products, [1]), out.decoderBias); // [B, V]
  return activateSplade(ctx, logits, opts.activation); // [B, V]
}
