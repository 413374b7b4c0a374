/**
 * The vocabulary product of SPLADE max pooling in integer arithmetic, one vocabulary chunk at a time:
 * features quantized once (uint8, per tensor, DynamicQuantizeLinear), then for every chunk of the decoder
 * (int8, per-entry scales) a MatMulIntegerToFloat and its maximum over tokens. A chunk's [B, T, chunk]
 * product is freed before the next one, so a run holds a few hundred megabytes where the whole [B, T, V]
 * product would take 1 GB at 8,192 tokens; on these VMs each fresh gigabyte costs about half a second of
 * page faults in a new process. Used by the screen (vocab-screen.ts) and by the int8 encoder's pooling.
 *
 * Shapes: B batch, T tokens, C hidden, V vocabulary.
 */
import type { GraphBuilder, V } from "../graph/builder.js";
import type { TransformerConfig } from "../model/config.js";
import type { ModelContext } from "../model/context.js";
import { MS_DOMAIN } from "../model/layers.js";
import type { MlmOutputs } from "../model/outputs.js";
import { activateSplade, type SpladePoolingOptions } from "../model/splade-pooling.js";
import { quantizePerColumn, type RowErrors } from "./quantize.js";

/** Vocabulary entries per chunk: 4,096 × 8,192 tokens × 4 bytes = 128 MB of product at a time. */
export const VOCAB_CHUNK = 4096;

/** One chunk of the int8 decoder: Wᵀ of entries [start, start + size), [C, size], and their scales. */
export interface DecoderChunk {
  start: number;
  size: number;
  data: Int8Array;
  scales: Float32Array;
}

/**
 * Quantizes the decoder `w` ([V, C] row-major) per entry, in chunks of VOCAB_CHUNK entries; with `errors`
 * ([V] each), also every entry's norm and quantization error (quantize.ts RowErrors).
 */
export function quantizeDecoder(w: Float32Array, vocab: number, hidden: number, maxLevel = 127, errors?: RowErrors): DecoderChunk[] {
  const chunks: DecoderChunk[] = [];
  for (let start = 0; start < vocab; start += VOCAB_CHUNK) {
    const size = Math.min(VOCAB_CHUNK, vocab - start);
    const part = errors && { norm2: errors.norm2.subarray(start, start + size), err2: errors.err2.subarray(start, start + size) };
    const q = quantizePerColumn([w.subarray(start * hidden, (start + size) * hidden)], hidden, [size], maxLevel, part);
    chunks.push({ start, size, data: q.data, scales: q.scales });
  }
  return chunks;
}

/** The quantized features: uint8 values, their scale and zero point (DynamicQuantizeLinear's outputs). */
export interface QuantizedFeatures {
  values: V;
  scale: V;
  zeroPoint: V;
}

export function quantizeFeatures(g: GraphBuilder, features: V): QuantizedFeatures {
  const [values, scale, zeroPoint] = g.op("DynamicQuantizeLinear", [features], {}, { outputs: 3 }) as V[]; // uint8 [B, T, C]
  return { values, scale, zeroPoint };
}

/** max over tokens of f̃·w̃ for every entry: [B, V]. `name` prefixes the chunks' initializers. */
export function chunkedMaxProduct(g: GraphBuilder, f: QuantizedFeatures, chunks: DecoderChunk[], hidden: number, name: string): V {
  const maxima = chunks.map((c) => {
    const w = g.initializer(`${name}.int8T.${c.start}`, { dtype: "int8", dims: [hidden, c.size], data: c.data });
    const s = g.initializer(`${name}.int8T.${c.start}.scale`, { dtype: "float32", dims: [c.size], data: c.scales });
    const product = g.op("MatMulIntegerToFloat", [f.values, w, f.scale, s, f.zeroPoint], {}, { domain: MS_DOMAIN }) as V; // [B, T, size]
    return g.reduceMax(product, [1]); // [B, size]
  });
  return maxima.length === 1 ? maxima[0] : g.concat(maxima, 1); // [B, V]
}

/** Features with padding rows replaced by the first token's: they can then never raise a maximum. */
export function paddingFreeFeatures(ctx: ModelContext, out: MlmOutputs, mask: V): V {
  const { g } = ctx;
  const keepToken = g.unsqueeze(g.cast(mask, "bool"), [2]); // [B, T, 1]
  return g.where(keepToken, out.features, g.slice(out.features, [0], [1], [1])); // [B, T, C]
}

/**
 * The int8 encoder's max pooling: the vocabulary product in integer arithmetic (as every other Linear of
 * the int8 graph), then bias and activation after the max (see model/splade-pooling.ts). [B, V]
 */
export function int8MaxPooling(
  ctx: ModelContext,
  cfg: TransformerConfig,
  out: MlmOutputs,
  mask: V,
  activation: SpladePoolingOptions["activation"],
  decoder: Float32Array,
): V {
  const features = quantizeFeatures(ctx.g, paddingFreeFeatures(ctx, out, mask));
  const maxima = chunkedMaxProduct(ctx.g, features, quantizeDecoder(decoder, cfg.vocabSize, cfg.hidden), cfg.hidden, out.decoderKey);
  return activateSplade(ctx, ctx.g.add(maxima, out.decoderBias), activation); // [B, V]
}
