/**
 * Screened max pooling: the exact SPLADE max pooling with the vocabulary product computed only where it can
 * matter. A vocabulary entry v contributes to document b only when  max_t f_t·w_v + b_v > 0  (otherwise
 * log1p(relu(·)) is exactly 0), and a trained or sparse model activates a few hundred of 30,522 entries per
 * document. So:
 *
 * 1. screen: the features are quantized to uint8 (per tensor, DynamicQuantizeLinear) and multiplied with the
 *    int8 decoder (per-entry scales) in integer arithmetic, S = f̃·w̃, a quarter of the float32 cost
 *    (vocab-product.ts, one vocabulary chunk at a time);
 * 2. bound: for every token, |f·w_v − f̃·w̃_v| ≤ ‖f − f̃‖·‖w_v‖ + ‖f̃‖·‖w_v − w̃_v‖ (Cauchy–Schwarz on the two
 *    quantization errors), so with A_b = max_t ‖f_t − f̃_t‖ and G_b = max_t ‖f̃_t‖,
 *        max_t f_t·w_v ≤ max_t S_tv + A_b·‖w_v‖ + G_b·‖w_v − w̃_v‖;
 * 3. exact: every entry whose bound is above −b_v (a handful of percent) is computed in float32 as before,
 *    per document (its candidate rows of the decoder gathered, padded to the batch's largest count with
 *    other entries, which are exact too), and scattered into a zero [B, V] output.
 *
 * Entries left out are provably 0 in the float32 computation too: the bound is inflated by ε = (C + 16)·2⁻²³
 * (over twice γ_C, the worst-case relative rounding of a C-term float32 dot product) to cover the rounding of
 * the float32 product it stands for, of the screen's scaling, of the norms computed in the graph and of the
 * final comparison. The integer sums are exact when the kernel accumulates u8·s8 products in int32 (VNNI,
 * AMX, Arm dot products); elsewhere the weights use 7 bits so that the u8·s8 pair sums of the AVX2 / AVX-512
 * kernels (vpmaddubsw, saturating int16) cannot saturate. Outputs equal the unscreened graph's up to float
 * rounding of the same products (tested against it in test/encoder/vocab-screen.test.ts).
 *
 * Shapes: B batch, T tokens, C hidden, V vocabulary, K candidates per document (the batch's maximum).
 */
import { readFileSync } from "node:fs";
import { arch } from "node:os";
import type { V } from "../graph/builder.js";
import type { TransformerConfig } from "../model/config.js";
import type { ModelContext } from "../model/context.js";
import type { MlmOutputs } from "../model/outputs.js";
import { activateSplade, type SpladePoolingOptions } from "../model/splade-pooling.js";
import { chunkedMaxProduct, paddingFreeFeatures, quantizeDecoder, quantizeFeatures, type DecoderChunk } from "./vocab-product.js";

/** The decoder's screen: int8 Wᵀ in chunks and the per-entry coefficients of the error bound. */
export interface ScreenWeights {
  /** Wᵀ quantized per vocabulary entry (vocab-product.ts). */
  chunks: DecoderChunk[];
  /** Coefficient of A_b: ‖w_v‖ with the rounding slack. [V] */
  coefA: Float32Array;
  /** Coefficient of G_b: ‖w_v − w̃_v‖ with the rounding slack. [V] */
  coefG: Float32Array;
  /** The slack ε. */
  epsilon: number;
}

/** Largest |quantized weight| whose u8·s8 products the machine's int8 kernels sum exactly (see header). */
export function exactWeightLevel(): number {
  if (arch() === "arm64") return 127;
  try {
    const flags = readFileSync("/proc/cpuinfo", "utf8");
    return /\b(avx512_vnni|avx_vnni|amx_int8)\b/.test(flags) ? 127 : 63;
  } catch {
    return 63;
  }
}

/** Rounds a non-negative float64 up to a float32 that is at least as large. */
function roundUp32(x: number): number {
  const f = Math.fround(x);
  return f >= x ? f : Math.fround(x * (1 + 2 ** -23) + Number.MIN_VALUE);
}

/** Quantizes the decoder `w` ([V, C] row-major) for the screen and computes the bound's coefficients. */
export function screenWeights(w: Float32Array, vocab: number, hidden: number, maxLevel = exactWeightLevel()): ScreenWeights {
  const errors = { norm2: new Float64Array(vocab), err2: new Float64Array(vocab) };
  const chunks = quantizeDecoder(w, vocab, hidden, maxLevel, errors);
  const epsilon = (hidden + 16) * 2 ** -23;
  const coefA = new Float32Array(vocab);
  const coefG = new Float32Array(vocab);
  for (let v = 0; v < vocab; v++) {
    const norm = Math.sqrt(errors.norm2[v]);
    const err = Math.sqrt(errors.err2[v]);
    // A_b multiplies ‖w‖; G_b multiplies ‖w − w̃‖; the ε terms cover float32 rounding (see the header).
    coefA[v] = roundUp32((1 + 2 * epsilon) * norm + 3 * epsilon * (norm + err));
    coefG[v] = roundUp32((1 + 2 * epsilon) * err + 3 * epsilon * (norm + err));
  }
  return { chunks, coefA, coefG, epsilon };
}

/** Per-document maxima over tokens of the row norms of `x` [B, T, C]: [B, 1]. */
function maxRowNorm(ctx: ModelContext, x: V): V {
  const { g } = ctx;
  const norms = g.op("ReduceL2", [x, g.constInt64([2])], { keepdims: 0 }) as V; // [B, T]
  return g.reduceMax(norms, [1], true); // [B, 1]
}

export interface ScreenedPooling {
  /** The SPLADE vectors [B, V]. */
  splade: V;
  /** How many vocabulary entries were computed exactly per document (the batch's maximum), int64 [1]. */
  candidates: V;
}

/**
 * SPLADE max pooling (pooling "max") of `out.features` [B, T, C] with the screened vocabulary product;
 * `screen` comes from the decoder weight [V, C] whose initializer is `ctx.param(out.decoderKey)`.
 */
export function screenedMaxPooling(
  ctx: ModelContext,
  cfg: TransformerConfig,
  out: MlmOutputs,
  mask: V,
  activation: SpladePoolingOptions["activation"],
  screen: ScreenWeights,
): ScreenedPooling {
  const { g } = ctx;
  const [C, vocab] = [cfg.hidden, cfg.vocabSize];
  const features = paddingFreeFeatures(ctx, out, mask); // [B, T, C]

  // 1. Screen: uint8 features × int8 decoder, exact integer sums scaled to float, chunk by chunk.
  const quantized = quantizeFeatures(g, features);
  const screenMax = chunkedMaxProduct(g, quantized, screen.chunks, C, `${out.decoderKey}.screen`); // [B, V]

  // 2. Bound: A_b·coefA_v + G_b·coefG_v + ε|b_v|, compared with −b_v.
  const dequantized = g.op("DequantizeLinear", [quantized.values, quantized.scale, quantized.zeroPoint]) as V; // [B, T, C]
  const errorNorm = maxRowNorm(ctx, g.sub(features, dequantized)); // [B, 1]
  const quantizedNorm = maxRowNorm(ctx, dequantized); // [B, 1]
  const coefficients = g.initializer(`${out.decoderKey}.screen.bound`, {
    dtype: "float32",
    dims: [2, vocab],
    data: Float32Array.from([...screen.coefA, ...screen.coefG]),
  });
  const slack = g.mul(g.abs(out.decoderBias), g.constScalar(screen.epsilon)); // [V]
  const bound = g.add(g.matmul(g.concat([errorNorm, quantizedNorm], 1), coefficients), slack); // [B, V]
  const upper = g.add(g.add(screenMax, bound), out.decoderBias); // [B, V]
  const candidate = g.cast(g.greater(upper, g.constScalar(0)), "float32"); // [B, V] 1 where it may be active

  // 3. Exact products of each document's candidates (K = the largest count, at least 1).
  const counts = g.reduceSum(candidate, [1], false); // [B]
  const k = g.cast(g.max2(g.reduceMax(counts, [0], true), g.constFloat([1])), "int64"); // [1]
  const [, entries] = g.op("TopK", [candidate, k], { axis: 1, largest: 1, sorted: 0 }, { outputs: 2 }) as V[]; // int64 [B, K]
  const rows = g.gather(ctx.param(out.decoderKey, [vocab, C]), entries, 0); // [B, K, C]
  const products = g.op("MatMul", [features, g.transpose(rows, [0, 2, 1])]) as V; // [B, T, K]
  const logits = g.add(g.reduceMax(products, [1]), g.gather(out.decoderBias, entries, 0)); // [B, K]
  const zeros = g.op("ConstantOfShape", [g.shape(candidate)], { value: { dtype: "float32", dims: [1], data: new Float32Array(1) } }) as V;
  const splade = g.op("ScatterElements", [zeros, entries, activateSplade(ctx, logits, activation)], { axis: 1 }) as V; // [B, V]
  return { splade, candidates: k };
}
