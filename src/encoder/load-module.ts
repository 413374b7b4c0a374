/**
 * Loading one module from its folder, by class (module-types.ts): its config file, checked, and its weights
 * opened in whichever format the folder has (model/checkpoint.ts). Defaults are upstream's constructor
 * defaults, cited per class. Tokenizers are loaded later, by the route that uses them (route-encoder.ts).
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { normalizeConfig, type TransformerConfig } from "../model/config.js";
import type { PoolingOptions } from "../model/pooling.js";
import { CheckpointWeights } from "../model/weights.js";
import { SpladeError } from "../util/errors.js";
import { booleanField, invalid, positiveInteger, readObject, readOptionalObject } from "./json-config.js";
import type { ModuleEntry } from "./module-layout.js";
import type { PipelineModule, PoolingModule, SparseAutoEncoderModule, SparseStaticEmbeddingModule, SpladePoolingModule, TransformerModule } from "./pipeline.js";

/** Past this, tokenizer_config.json's model_max_length means "no limit" (transformers' VERY_LARGE_INTEGER). */
const NO_LIMIT = 1e12;

function modelMaxLength(dir: string): number | null {
  const value = readOptionalObject(join(dir, "tokenizer_config.json")).model_max_length;
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value < NO_LIMIT ? value : null;
}

/** MLMTransformer / Transformer: sentence_bert_config.json, else min(max_position_embeddings, model_max_length). */
function sequenceConfig(dir: string, config: TransformerConfig): { maxSeqLength: number; doLowerCase: boolean } {
  const path = join(dir, "sentence_bert_config.json");
  const json = readOptionalObject(path);
  const doLowerCase = booleanField(path, "do_lower_case", json.do_lower_case, false);
  const maxSeqLength = json.max_seq_length ?? Math.min(config.maxPositions, modelMaxLength(dir) ?? Infinity);
  if (typeof maxSeqLength !== "number" || !Number.isInteger(maxSeqLength) || maxSeqLength < 2) invalid(path, `max_seq_length must be an integer ≥ 2, got ${JSON.stringify(maxSeqLength)}`);
  if (maxSeqLength > config.maxPositions) invalid(path, `max_seq_length ${maxSeqLength} exceeds config.json max_position_embeddings ${config.maxPositions}`);
  return { maxSeqLength, doLowerCase };
}

async function transformer(entry: ModuleEntry, dir: string, type: "MLMTransformer" | "Transformer"): Promise<TransformerModule> {
  const configPath = join(dir, "config.json");
  const json = readObject(configPath);
  const config = normalizeConfig(json, configPath);
  const architectures = Array.isArray(json.architectures) ? json.architectures.filter((a): a is string => typeof a === "string") : [];
  if (type === "MLMTransformer" && architectures.length > 0 && !architectures.some((a) => a.endsWith("ForMaskedLM"))) {
    // Upstream would load a fresh, random masked-LM head here (or, for a plain folder, build CSR): not this model.
    throw new SpladeError("UNSUPPORTED", `${configPath}: architecture ${architectures.join(", ")} has no masked-LM head; SPLADE needs a *ForMaskedLM model`, { path: configPath });
  }
  return { type, id: entry.id, dir, typePath: entry.typePath, config, architecture: architectures[0] ?? config.kind, ...sequenceConfig(dir, config), weights: await CheckpointWeights.openFolder(dir) };
}

/** SpladePooling(pooling_strategy="max", activation_function="relu", word_embedding_dimension=None). */
function spladePooling(entry: ModuleEntry, dir: string): SpladePoolingModule {
  const path = join(dir, "config.json");
  const json = entry.declaredIn === null ? {} : readObject(path);
  const pooling = json.pooling_strategy ?? "max";
  const activation = json.activation_function ?? "relu";
  if (pooling !== "max" && pooling !== "sum") invalid(path, `pooling_strategy must be "max" or "sum", got ${JSON.stringify(pooling)}`);
  if (activation !== "relu" && activation !== "log1p_relu") invalid(path, `activation_function must be "relu" or "log1p_relu", got ${JSON.stringify(activation)}`);
  const dims = json.word_embedding_dimension ?? null;
  return { type: "SpladePooling", id: entry.id, dir, typePath: entry.typePath, options: { pooling, activation }, wordEmbeddingDimension: dims === null ? null : positiveInteger(path, "word_embedding_dimension", dims) };
}

const POOLING_MODE_NAMES: Record<string, keyof PoolingOptions> = { cls: "cls", max: "max", mean: "mean", mean_sqrt_len_tokens: "meanSqrtLen", weightedmean: "weightedMean", lasttoken: "lastToken" };

/** Pooling(word_embedding_dimension, pooling_mode=None, mean by default, include_prompt=True). */
function pooling(entry: ModuleEntry, dir: string): PoolingModule {
  const path = join(dir, "config.json");
  const json = readObject(path);
  const flag = (field: string, fallback: boolean) => booleanField(path, field, json[field], fallback);
  const options: PoolingOptions = {
    cls: flag("pooling_mode_cls_token", false),
    max: flag("pooling_mode_max_tokens", false),
    mean: flag("pooling_mode_mean_tokens", true),
    meanSqrtLen: flag("pooling_mode_mean_sqrt_len_tokens", false),
    weightedMean: flag("pooling_mode_weightedmean_tokens", false),
    lastToken: flag("pooling_mode_lasttoken", false),
    includePrompt: flag("include_prompt", true),
  };
  if (json.pooling_mode !== undefined && json.pooling_mode !== null) {
    const mode = POOLING_MODE_NAMES[String(json.pooling_mode).toLowerCase()];
    if (mode === undefined) invalid(path, `pooling_mode ${JSON.stringify(json.pooling_mode)} is not one of ${Object.keys(POOLING_MODE_NAMES).join(", ")}`);
    for (const key of Object.values(POOLING_MODE_NAMES)) options[key] = key === mode;
  }
  if (!Object.values(POOLING_MODE_NAMES).some((key) => options[key])) invalid(path, "no pooling mode is on");
  return { type: "Pooling", id: entry.id, dir, typePath: entry.typePath, options, wordEmbeddingDimension: positiveInteger(path, "word_embedding_dimension", json.word_embedding_dimension) };
}

function vectorShape(weights: CheckpointWeights, key: string, length: number): void {
  weights.get(key, [length]);
}

/** SparseAutoEncoder(input_dim, hidden_dim=512, k=8, k_aux=512, normalize=False, dead_threshold=30). */
async function sparseAutoEncoder(entry: ModuleEntry, dir: string): Promise<SparseAutoEncoderModule> {
  const path = join(dir, "config.json");
  const json = readObject(path);
  const inputDim = positiveInteger(path, "input_dim", json.input_dim);
  const hiddenDim = positiveInteger(path, "hidden_dim", json.hidden_dim ?? 512);
  const k = positiveInteger(path, "k", json.k ?? 8);
  if (k > hiddenDim) invalid(path, `k (${k}) exceeds hidden_dim (${hiddenDim})`);
  const weights = await CheckpointWeights.openFolder(dir);
  const matrixKey = ["decoder.linear.weight", "encoder.weight"].find((key) => weights.has(key));
  if (matrixKey === undefined) invalid(weights.path, "has neither 'decoder.linear.weight' nor 'encoder.weight' (the SparseAutoEncoder matrix)");
  weights.get(matrixKey, [hiddenDim, inputDim]);
  vectorShape(weights, "pre_bias", inputDim);
  vectorShape(weights, "latent_bias", hiddenDim);
  return {
    type: "SparseAutoEncoder",
    id: entry.id,
    dir,
    typePath: entry.typePath,
    inputDim,
    hiddenDim,
    k,
    kAux: positiveInteger(path, "k_aux", json.k_aux ?? 512),
    normalize: booleanField(path, "normalize", json.normalize, false),
    deadThreshold: positiveInteger(path, "dead_threshold", json.dead_threshold ?? 30),
    matrixKey,
    weights,
  };
}

/** SparseStaticEmbedding(tokenizer, weight, frozen=False): `weight` [V] and the folder's own tokenizer. */
async function sparseStaticEmbedding(entry: ModuleEntry, dir: string): Promise<SparseStaticEmbeddingModule> {
  const path = join(dir, "config.json");
  const json = readOptionalObject(path);
  if (typeof json.path === "string") {
    throw new SpladeError("UNSUPPORTED", `${path}: weights given as a JSON file (${JSON.stringify(json.path)}) are not read; save the module with its weight tensor`, { path });
  }
  const weights = await CheckpointWeights.openFolder(dir);
  if (!weights.has("weight")) invalid(weights.path, "has no tensor 'weight' (the SparseStaticEmbedding vocabulary weights)");
  const shape = weights.file.info(weights.resolve("weight")!).shape;
  if (shape.length !== 1 || shape[0] < 1) invalid(weights.path, `tensor 'weight' has shape [${shape.join(", ")}], expected [vocabulary size]`);
  return {
    type: "SparseStaticEmbedding",
    id: entry.id,
    dir,
    typePath: entry.typePath,
    weight: weights.get("weight", shape),
    frozen: booleanField(path, "frozen", json.frozen, false),
    maxSeqLength: modelMaxLength(dir),
    weights,
  };
}

/** Loads the module `entry` of the model folder `root`. */
export async function loadModule(root: string, entry: ModuleEntry): Promise<PipelineModule> {
  const dir = entry.id === "" ? root : join(root, ...entry.id.split("/"));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SpladeError("FILE_NOT_FOUND", `${dir}: no such folder (module ${JSON.stringify(entry.id)} declared in ${entry.declaredIn ?? root})`, { path: dir });
  }
  switch (entry.cls) {
    case "MLMTransformer":
    case "Transformer":
      return transformer(entry, dir, entry.cls);
    case "SpladePooling":
      return spladePooling(entry, dir);
    case "Pooling":
      return pooling(entry, dir);
    case "SparseAutoEncoder":
      return sparseAutoEncoder(entry, dir);
    case "SparseStaticEmbedding":
      return sparseStaticEmbedding(entry, dir);
    case "Normalize":
      return { type: "Normalize", id: entry.id, dir, typePath: entry.typePath };
    case "Router":
      throw new SpladeError("UNSUPPORTED", `${entry.declaredIn}: a Router is supported only as the first module`);
  }
}
