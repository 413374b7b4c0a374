/**
 * What a model graph is built from: the graph builder, where weights come from, and the hooks that differ
 * between inference and training. One model definition (distilbert.ts, bert.ts) serves both:
 *
 * - inference: `param` returns initializers holding the checkpoint's tensors, dropout is absent (identity,
 *   as in `model.eval()`), and `kernels: "fused"` may emit onnxruntime contrib ops;
 * - training: `param` returns graph inputs (updated every step), `dropout` inserts masks, and kernels stay
 *   "plain" (standard ONNX ops only, each with a gradient rule).
 */
import type { GraphBuilder, V } from "../graph/builder.js";

/**
 * A weight by its checkpoint key and expected shape (torch layout: Linear weights are [out, in]). The same
 * key may be asked for more than once (tied word embeddings): a source must return the same value each time.
 */
export type ParamSource = (key: string, shape: number[]) => V;

/** Dropout at a named site (`distilbert.transformer.layer.0.attention.dropout`, …) with probability `p`. */
export type DropoutHook = (x: V, p: number, site: string) => V;

/**
 * x · concat(Wₖ)ᵀ for Linear weights `keys` (each [outₖ, in]), without bias: [..., in] → [..., Σ outₖ].
 * Replacing it (e.g. with int8 dynamic quantization) changes how every Linear of the model multiplies.
 */
export type MatMulKernel = (x: V, keys: string[], inFeatures: number, outFeatures: number[]) => V;

/**
 * Multi-head self-attention of x [B, T, C] through the Linear layers `weights` (query, key, value: [C, C]
 * each, torch layout) with `biases` ([C] each) and the 0/1 key mask as int32 [B, T]: softmax(q·kᵀ/√D + mask)·v
 * with heads concatenated, [B, T, C] (before the output projection). Inference only.
 */
export type AttentionKernel = (x: V, weights: string[], biases: string[], mask: V, heads: number, hidden: number) => V;

/** torch.nn.Linear at `prefix`: x·Wᵀ + b with `prefix.weight` [out, in] and `prefix.bias` [out]. */
export type LinearKernel = (x: V, prefix: string, inFeatures: number, outFeatures: number) => V;

export interface ModelContext {
  g: GraphBuilder;
  param: ParamSource;
  /** Absent at inference (dropout is the identity in eval mode). */
  dropout?: DropoutHook;
  /**
   * "plain" (default): standard ONNX ops only. "fused": onnxruntime contrib ops (attention,
   * skip-LayerNorm, bias-GELU) with the same math; for inference (they have no gradient rules).
   */
  kernels?: "plain" | "fused";
  /** Replaces the matrix product of every Linear (see MatMulKernel); default: MatMul with Wᵀ. */
  matmul?: MatMulKernel;
  /** Replaces every Linear layer, bias included (see LinearKernel); default: matmul then Add. */
  linear?: LinearKernel;
  /** Replaces fused self-attention (see AttentionKernel); default: one QKV product and MultiHeadAttention. */
  attention?: AttentionKernel;
}

/**
 * A ParamSource over a function that loads a tensor: each key becomes one initializer named after it,
 * loaded once (so tied weights are a single tensor in the graph).
 */
export function initializerParams(g: GraphBuilder, load: (key: string, shape: number[]) => Float32Array): ParamSource {
  const seen = new Map<string, V>();
  return (key, shape) => {
    let v = seen.get(key);
    if (v === undefined) {
      v = g.initializer(key, { dtype: "float32", dims: shape, data: load(key, shape) });
      seen.set(key, v);
    }
    return v;
  };
}
