/**
 * Assembles the inference graph of a SPLADE model from its checkpoint: the masked-LM encoder (model/) with
 * the checkpoint's tensors as initializers, followed by SPLADE pooling, serialized to ONNX bytes.
 *
 * Graph inputs:  input_ids int64 [B, T], attention_mask int64 [B, T].
 * Graph outputs: "splade" float32 [B, V] (L2-normalized when a Normalize module follows); with `hiddenStates`, also "last_hidden_state" float32 [B, T, C].
 */
import { GraphBuilder, type V } from "../graph/builder.js";
import { serializeModelExternal, type SerializedModel } from "../graph/onnx-proto.js";
import type { TransformerConfig } from "../model/config.js";
import { initializerParams, type ModelContext } from "../model/context.js";
import { MS_DOMAIN } from "../model/layers.js";
import { buildMaskedLm, type MlmOutputs } from "../model/mlm.js";
import { l2Normalize } from "../model/normalize.js";
import { spladePooling, type SpladePoolingOptions } from "../model/splade-pooling.js";
import type { WeightSource } from "../model/weights.js";
import { float32Kernels, int8Kernels } from "./kernels.js";
import { int8MatMulKernel } from "./quantize.js";
import { int8MaxPooling } from "./vocab-product.js";
import { screenedMaxPooling, screenWeights } from "./vocab-screen.js";

export interface SpladeGraphOptions {
  pooling: SpladePoolingOptions;
  /** "fused" (default): onnxruntime contrib kernels; "plain": standard ONNX ops only. */
  kernels?: "plain" | "fused";
  /** Int8 dynamic quantization of every Linear (weights per output column, activations per tensor). */
  quantize?: "int8";
  /** Also output the encoder's last hidden state (for parity checks). */
  hiddenStates?: boolean;
  /** A Normalize module follows SpladePooling: the vector is divided by its L2 norm. */
  normalize?: boolean;
  /**
   * Max pooling's vocabulary product through the int8 screen and exact float32 products of the candidates
   * (vocab-screen.ts: same outputs, less arithmetic). Default: on for fused float32 graphs with max pooling.
   */
  vocabScreen?: boolean;
}

export const OUTPUT_SPLADE = "splade";
export const OUTPUT_HIDDEN = "last_hidden_state";

/** Initializers from this size on go to onnxruntime as in-memory external data, not inside the protobuf. */
const EXTERNAL_FROM_BYTES = 4096;

/**
 * The serialized graph, its weights as external data: onnxruntime copies them out of these buffers while it
 * creates the session, so the protobuf never holds a second copy of every weight.
 */
export function buildSpladeGraph(cfg: TransformerConfig, weights: WeightSource, options: SpladeGraphOptions): SerializedModel {
  return serializeModelExternal(spladeGraph(cfg, weights, options).ir, { domains: { [MS_DOMAIN]: 1 }, externalFromBytes: EXTERNAL_FROM_BYTES });
}

/** The graph, unserialized (checkRouteWeights in graph-route.ts builds it to check every weight's shape). */
export function spladeGraph(cfg: TransformerConfig, weights: WeightSource, options: SpladeGraphOptions): GraphBuilder {
  const g = new GraphBuilder(`splade-${cfg.kind}`);
  const loaded = new Map<string, Float32Array>(); // the tied decoder is asked for more than once
  const load = (key: string, shape: number[]) => {
    let data = loaded.get(key);
    if (data === undefined) loaded.set(key, (data = weights.get(key, shape)));
    return data;
  };
  const ctx: ModelContext = { g, param: initializerParams(g, load), kernels: options.kernels ?? "fused" };
  if (ctx.kernels === "fused") Object.assign(ctx, (options.quantize === "int8" ? int8Kernels : float32Kernels)(g, load, ctx.param));
  else if (options.quantize === "int8") ctx.matmul = int8MatMulKernel(g, load);
  const inputIds = g.input("input_ids", "int64", ["batch", "tokens"]);
  const mask = g.input("attention_mask", "int64", ["batch", "tokens"]);
  const out = buildMaskedLm(ctx, cfg, inputIds, mask);
  const splade = pooling(ctx, cfg, out, mask, options, () => load(out.decoderKey, [cfg.vocabSize, cfg.hidden])); // [B, V]
  g.output(options.normalize ? l2Normalize(ctx, splade) : splade, OUTPUT_SPLADE, "float32", ["batch", cfg.vocabSize]);
  if (options.hiddenStates) g.output(out.lastHidden, OUTPUT_HIDDEN, "float32", ["batch", "tokens", cfg.hidden]);
  return g;
}

/**
 * SPLADE pooling: with fused kernels and max pooling, the vocabulary product of the int8 graph runs in
 * integer arithmetic by chunks (vocab-product.ts) and the float32 graph's goes through the screen
 * (vocab-screen.ts); otherwise model/splade-pooling.ts as written.
 */
function pooling(ctx: ModelContext, cfg: TransformerConfig, out: MlmOutputs, mask: V, options: SpladeGraphOptions, decoder: () => Float32Array): V {
  const { pooling: p, activation } = options.pooling;
  const fused = ctx.kernels === "fused" && p === "max";
  if (fused && (options.vocabScreen ?? options.quantize === undefined)) return screenedMaxPooling(ctx, cfg, out, mask, activation, screenWeights(decoder(), cfg.vocabSize, cfg.hidden)).splade;
  if (fused && options.quantize === "int8") return int8MaxPooling(ctx, cfg, out, mask, activation, decoder());
  return spladePooling(ctx, cfg, out, mask, options.pooling);
}
