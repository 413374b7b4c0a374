/**
 * The inference graph of a CSR route (Transformer → Pooling [→ Normalize] → SparseAutoEncoder [→ Normalize]),
 * built from the modules' checkpoints: the bare encoder (model/mlm.ts buildEncoder), dense pooling
 * (model/pooling.ts), the sparse autoencoder's top-k (model/sparse-autoencoder.ts), Normalize where the route
 * has it. Pooling and the autoencoder are fused into the one graph; only the k kept latents leave it.
 *
 * Graph inputs:  input_ids, attention_mask, pooling_mask int64 [B, T] (the attention mask, minus the prompt's
 *                tokens when Pooling's include_prompt is false); k int64 [1] (latents to keep, 1 ≤ k ≤ H).
 * Graph outputs: "values" float32 [B, k] (ReLU'd, descending), "indices" int64 [B, k]; with `pooledOutput`,
 *                also "pooled" float32 [B, D] (the autoencoder's input, for parity checks).
 */
import { GraphBuilder } from "../graph/builder.js";
import { serializeModel } from "../graph/onnx-proto.js";
import { initializerParams, type ModelContext } from "../model/context.js";
import { MS_DOMAIN } from "../model/layers.js";
import { buildEncoder } from "../model/mlm.js";
import { l2Normalize } from "../model/normalize.js";
import { pooling } from "../model/pooling.js";
import { sparseAutoEncoder } from "../model/sparse-autoencoder.js";
import type { WeightSource } from "../model/weights.js";
import type { PipelineModule, PoolingModule, SparseAutoEncoderModule, TransformerModule } from "./pipeline.js";

export const CSR_OUTPUT_VALUES = "values";
export const CSR_OUTPUT_INDICES = "indices";
export const CSR_OUTPUT_POOLED = "pooled";

export interface CsrGraphOptions {
  kernels?: "plain" | "fused";
  pooledOutput?: boolean;
}

/** Parameter keys of the autoencoder are prefixed so they cannot meet the transformer's in one graph. */
const SAE_PREFIX = "sparse_autoencoder/";

export function buildCsrGraph(modules: readonly PipelineModule[], options: CsrGraphOptions = {}): Uint8Array {
  return serializeModel(csrGraph(modules, options).ir, { domains: { [MS_DOMAIN]: 1 } });
}

/** The graph, unserialized; `weightsOf` may replace each module's weight source (checkRouteWeights in graph-route.ts checks shapes so). */
export function csrGraph(modules: readonly PipelineModule[], options: CsrGraphOptions = {}, weightsOf: (m: TransformerModule | SparseAutoEncoderModule) => WeightSource = (m) => m.weights): GraphBuilder {
  const transformer = modules[0] as TransformerModule;
  const pool = modules[1] as PoolingModule;
  const saeAt = modules.findIndex((m) => m.type === "SparseAutoEncoder");
  const sae = modules[saeAt] as SparseAutoEncoderModule;
  const cfg = transformer.config;
  const g = new GraphBuilder(`csr-${cfg.kind}`);
  const load = (key: string, shape: number[]) => (key.startsWith(SAE_PREFIX) ? weightsOf(sae).get(key.slice(SAE_PREFIX.length), shape) : weightsOf(transformer).get(key, shape));
  const ctx: ModelContext = { g, param: initializerParams(g, load), kernels: options.kernels ?? "fused" };
  const inputIds = g.input("input_ids", "int64", ["batch", "tokens"]);
  const mask = g.input("attention_mask", "int64", ["batch", "tokens"]);
  const poolingMask = g.input("pooling_mask", "int64", ["batch", "tokens"]);
  const k = g.input("k", "int64", [1]);
  const hidden = buildEncoder(ctx, cfg, inputIds, mask); // [B, T, C]
  let x = pooling(ctx, hidden, poolingMask, pool.options); // [B, D]
  if (modules.slice(2, saeAt).some((m) => m.type === "Normalize")) x = l2Normalize(ctx, x);
  if (options.pooledOutput) g.output(x, CSR_OUTPUT_POOLED, "float32", ["batch", sae.inputDim]);
  const latents = sparseAutoEncoder(ctx, x, k, { inputDim: sae.inputDim, hiddenDim: sae.hiddenDim, normalize: sae.normalize, matrixKey: sae.matrixKey, prefix: SAE_PREFIX });
  const values = modules.slice(saeAt + 1).some((m) => m.type === "Normalize") ? l2Normalize(ctx, latents.values) : latents.values; // [B, k]
  g.output(values, CSR_OUTPUT_VALUES, "float32", ["batch", "k"]);
  g.output(latents.indices, CSR_OUTPUT_INDICES, "int64", ["batch", "k"]);
  return g;
}
