/**
 * The building blocks BERT-family encoders share, in torch's conventions: Linear (y = x·Wᵀ + b, W stored
 * [out, in]), LayerNorm, activations (transformers ACT2FN), dropout sites, and multi-head self-attention.
 * Each block has a "plain" form (standard ONNX ops, differentiable) and, where onnxruntime has one, a
 * "fused" form (com.microsoft contrib ops: Gelu, MultiHeadAttention or a kernel's attention) with the same math.
 *
 * Shapes: B batch, T tokens, C hidden, H heads, D = C / H head size, F feed-forward size.
 */
import type { V } from "../graph/builder.js";
import { SpladeError } from "../util/errors.js";
import type { HiddenAct, TransformerConfig } from "./config.js";
import type { ModelContext } from "./context.js";

/** torch.finfo(torch.float32).min: what transformers adds to the scores of masked positions. */
export const FLOAT32_MIN = -3.4028234663852886e38;
export const MS_DOMAIN = "com.microsoft";

/** x · concat(Wₖ)ᵀ for Linear weights `keys` ([outₖ, in] each), no bias. */
export function matmulT(ctx: ModelContext, x: V, keys: string[], inFeatures: number, outFeatures: number[]): V {
  if (ctx.matmul) return ctx.matmul(x, keys, inFeatures, outFeatures);
  const { g } = ctx;
  const wT = keys.map((key, i) => g.transpose(ctx.param(key, [outFeatures[i], inFeatures]), [1, 0])); // [in, outₖ]
  return g.matmul(x, wT.length === 1 ? wT[0] : g.concat(wT, 1)); // [..., Σ outₖ]
}

/** torch.nn.Linear at `prefix` (`prefix.weight` [out, in], `prefix.bias` [out]). */
export function linear(ctx: ModelContext, x: V, prefix: string, inFeatures: number, outFeatures: number): V {
  if (ctx.linear) return ctx.linear(x, prefix, inFeatures, outFeatures);
  const y = matmulT(ctx, x, [`${prefix}.weight`], inFeatures, [outFeatures]); // [..., out]
  return ctx.g.add(y, ctx.param(`${prefix}.bias`, [outFeatures]));
}

/** transformers ACT2FN: "gelu" = x·Φ(x) with erf (GELUActivation), "gelu_new" = the tanh approximation. */
export function activation(ctx: ModelContext, x: V, act: HiddenAct): V {
  const { g } = ctx;
  if (act === "relu") return g.relu(x);
  if (act === "gelu") {
    // x · ½(1 + erf(x/√2)) as one com.microsoft Gelu: what onnxruntime's GeluFusion makes of the five-op
    // pattern at inference anyway, and in a training graph (where the backward keeps the pattern's
    // intermediates alive, so nothing fuses) one pass over [B, T, F] instead of five, with a single-node
    // gradient rule (graph/autodiff/rules/activations.ts).
    return g.op("Gelu", [x], {}, { domain: MS_DOMAIN }) as V;
  }
  // 0.5 * x * (1 + tanh(sqrt(2/π) * (x + 0.044715 x³)))
  const cube = g.mul(g.mul(x, x), x);
  const inner = g.mul(g.constScalar(Math.sqrt(2 / Math.PI)), g.add(x, g.mul(g.constScalar(0.044715), cube)));
  return g.mul(g.mul(g.constScalar(0.5), x), g.add(g.constScalar(1), g.tanh(inner)));
}

/** act(Linear(x)). */
export function linearActivation(ctx: ModelContext, x: V, prefix: string, inFeatures: number, outFeatures: number, act: HiddenAct): V {
  return activation(ctx, linear(ctx, x, prefix, inFeatures, outFeatures), act);
}

export function layerNorm(ctx: ModelContext, x: V, prefix: string, size: number, eps: number): V {
  return ctx.g.layerNorm(x, ctx.param(`${prefix}.weight`, [size]), ctx.param(`${prefix}.bias`, [size]), eps);
}

export function dropout(ctx: ModelContext, x: V, p: number, site: string): V {
  return ctx.dropout && p > 0 ? ctx.dropout(x, p, site) : x;
}

/**
 * LayerNorm(dropout(Linear(x)) + residual): the output sub-block after attention and after the
 * feed-forward network (BertSelfOutput / BertOutput; DistilBERT's out_lin or lin2 followed by its norm).
 * Fused: the residual sum as a Sum node before LayerNormalization. onnxruntime would fuse an Add there into
 * SkipLayerNormalization, whose CPU kernel (scalar loops) takes about three times as long as LayerNormalization
 * and the sum together; a Linear kernel that folds the bias (DynamicQuantizeMatMul, Gemm) keeps it out of both.
 */
export function linearResidualNorm(
  ctx: ModelContext,
  x: V,
  residual: V,
  opts: { linear: string; norm: string; inFeatures: number; outFeatures: number; eps: number; dropout: number; dropoutSite: string },
): V {
  const { g } = ctx;
  if (ctx.kernels === "fused" && !ctx.dropout) {
    const y = linear(ctx, x, opts.linear, opts.inFeatures, opts.outFeatures); // [B, T, C]
    return layerNorm(ctx, g.op("Sum", [y, residual]) as V, opts.norm, opts.outFeatures, opts.eps);
  }
  const y = dropout(ctx, linear(ctx, x, opts.linear, opts.inFeatures, opts.outFeatures), opts.dropout, opts.dropoutSite); // [B, T, C]
  return layerNorm(ctx, g.add(y, residual), opts.norm, opts.outFeatures, opts.eps);
}

/** The attention mask in the forms the kernels consume, computed once per graph. */
export interface AttentionMask {
  /** Additive score bias [B, 1, 1, T]: 0 where attended, finfo(float32).min where masked (plain). */
  bias?: V;
  /** The 0/1 mask as int32 [B, T] (fused). */
  int32?: V;
}

/** `mask` is the tokenizer's attention_mask, int64 [B, T] with 1 for tokens and 0 for padding. */
export function attentionMask(ctx: ModelContext, mask: V): AttentionMask {
  const { g } = ctx;
  if (ctx.kernels === "fused" && !ctx.dropout) return { int32: g.cast(mask, "int32") };
  // transformers get_extended_attention_mask: (1 - mask) * finfo.min, broadcast over heads and queries.
  const inverted = g.sub(g.constScalar(1), g.cast(mask, "float32")); // [B, T]
  return { bias: g.unsqueeze(g.mul(inverted, g.constScalar(FLOAT32_MIN)), [1, 2]) }; // [B, 1, 1, T]
}

export interface SelfAttentionOptions {
  /** Linear prefixes of the query, key and value projections. */
  query: string;
  key: string;
  value: string;
  hidden: number;
  heads: number;
  dropout: number;
  dropoutSite: string;
}

/**
 * Multi-head scaled dot-product self-attention, up to (not including) the output projection:
 * softmax(q·kᵀ/√D + mask)·v with heads concatenated. [B, T, C] → [B, T, C].
 */
export function selfAttention(ctx: ModelContext, x: V, mask: AttentionMask, o: SelfAttentionOptions): V {
  const { g } = ctx;
  const d = o.hidden / o.heads;
  const keys = [`${o.query}.weight`, `${o.key}.weight`, `${o.value}.weight`];
  if (ctx.kernels === "fused" && !ctx.dropout && mask.int32 && ctx.attention) {
    return ctx.attention(x, keys, [o.query, o.key, o.value].map((p) => `${p}.bias`), mask.int32, o.heads, o.hidden);
  }
  const biases = [o.query, o.key, o.value].map((p) => ctx.param(`${p}.bias`, [o.hidden]));
  if (ctx.kernels === "fused" && !ctx.dropout && mask.int32) {
    // One QKV product, then onnxruntime's MultiHeadAttention (bias added inside, raw 0/1 key padding mask).
    const qkv = matmulT(ctx, x, keys, o.hidden, [o.hidden, o.hidden, o.hidden]); // [B, T, 3C]
    const [q, k, v] = g.op("Split", [qkv, g.constInt64([o.hidden, o.hidden, o.hidden])], { axis: 2 }, { outputs: 3 }) as V[]; // 3 × [B, T, C]
    return g.op(
      "MultiHeadAttention",
      [q, k, v, g.concat(biases, 0), mask.int32],
      { num_heads: o.heads, mask_filter_value: { float: FLOAT32_MIN } },
      { domain: MS_DOMAIN },
    ) as V; // [B, T, C]
  }
  if (!mask.bias) throw new SpladeError("INVALID_ARGUMENT", "selfAttention: the mask was prepared for fused kernels");
  const heads = (t: V) => g.transpose(g.reshape(t, [0, 0, o.heads, d]), [0, 2, 1, 3]); // [B, H, T, D]
  const qkv = keys.map((key, i) => g.add(matmulT(ctx, x, [key], o.hidden, [o.hidden]), biases[i])); // 3 × [B, T, C]
  // modeling_distilbert.py: q / sqrt(D) before the product (BERT divides the scores: equal up to rounding).
  const q = g.div(heads(qkv[0]), g.constScalar(Math.sqrt(d))); // [B, H, T, D]
  const kT = g.transpose(g.reshape(qkv[1], [0, 0, o.heads, d]), [0, 2, 3, 1]); // [B, H, D, T]
  const scores = g.add(g.matmul(q, kT), mask.bias); // [B, H, T, T]
  const weights = dropout(ctx, g.softmax(scores, -1), o.dropout, o.dropoutSite); // [B, H, T, T]
  const context = g.matmul(weights, heads(qkv[2])); // [B, H, T, D]
  return g.reshape(g.transpose(context, [0, 2, 1, 3]), [0, 0, o.hidden]); // [B, T, C]
}

/** Position ids 0..T-1 for `inputIds` [B, T], embedded: [T, C]. */
export function positionEmbeddings(ctx: ModelContext, cfg: TransformerConfig, key: string, inputIds: V): V {
  const { g } = ctx;
  const tokens = g.gather(g.shape(inputIds), g.constInt64([1], []), 0); // scalar T
  const positions = g.op("Range", [g.constInt64([0], []), tokens, g.constInt64([1], [])]) as V; // [T]
  return g.gather(ctx.param(key, [cfg.maxPositions, cfg.hidden]), positions, 0); // [T, C]
}
