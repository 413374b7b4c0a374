/**
 * The model a training run starts from: a sentence-transformers SparseEncoder folder (modules.json,
 * 1_SpladePooling/, sentence_bert_config.json, …) or a plain Hugging Face *ForMaskedLM folder (config.json,
 * model.safetensors, tokenizer files), as upstream accepts both (the seed run started from
 * distilbert/distilbert-base-uncased). A plain folder gets upstream's SparseEncoder defaults: SpladePooling
 * max + relu, max_seq_length = min(max_position_embeddings, tokenizer model_max_length).
 *
 * A Router folder (router-source.ts: a SparseStaticEmbedding route and an MLMTransformer + SpladePooling route,
 * read by the encoder's loader) loads as its MLM — `dir`, config, weights, tokenizer, pooling and max_seq_length
 * are the MLM module's — plus `router`, the layout and the static route.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readTransformerConfig, type TransformerConfig } from "../model/config.js";
import type { SpladePoolingOptions } from "../model/splade-pooling.js";
import { CheckpointWeights } from "../model/weights.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { SpladeError } from "../util/errors.js";
import { readJsonFile } from "../util/text-file.js";
import { loadPipeline } from "../encoder/load-pipeline.js";
import { routerLayout, staticWeightName, type RouterLayout } from "./router-source.js";

export const SPLADE_POOLING_TYPE = "sentence_transformers.sparse_encoder.models.SpladePooling";

export interface TrainingModelSource {
  dir: string;
  config: TransformerConfig;
  weights: CheckpointWeights;
  tokenizer: BertTokenizer;
  pooling: SpladePoolingOptions;
  maxSeqLength: number;
  /** Whether the folder already is a sentence-transformers SparseEncoder. */
  isSparseEncoder: boolean;
  /** Present for a Router model (inference-free SPLADE); the fields above then describe its MLM module. */
  router?: RouterLayout;
}

/** A JSON file's fields (util/text-file.ts names the file when it is missing, not UTF-8 or not JSON). */
function readJson(path: string): Record<string, unknown> {
  return readJsonFile(path) as Record<string, unknown>;
}

function poolingFolder(dir: string): string | null {
  const modulesPath = join(dir, "modules.json");
  if (!existsSync(modulesPath)) return null;
  const modules = readJson(modulesPath) as unknown;
  if (!Array.isArray(modules)) throw new SpladeError("INVALID_FILE", `${modulesPath}: expected a list of modules`, { path: modulesPath });
  const pooling = modules.find((m) => (m as { type?: string }).type === SPLADE_POOLING_TYPE) as { path?: string } | undefined;
  if (!pooling) throw new SpladeError("UNSUPPORTED", `${modulesPath}: no SpladePooling module (only MLMTransformer + SpladePooling models are trained)`, { path: modulesPath });
  return join(dir, pooling.path ?? "1_SpladePooling");
}

function readPooling(folder: string): SpladePoolingOptions {
  const path = join(folder, "config.json");
  const json = readJson(path);
  const pooling = json.pooling_strategy ?? "max";
  const activation = json.activation_function ?? "relu";
  if ((pooling !== "max" && pooling !== "sum") || (activation !== "relu" && activation !== "log1p_relu")) {
    throw new SpladeError("UNSUPPORTED", `${path}: pooling_strategy ${JSON.stringify(pooling)} / activation_function ${JSON.stringify(activation)} is not supported`, { path });
  }
  return { pooling, activation };
}

function defaultMaxSeqLength(dir: string, config: TransformerConfig): number {
  const tokenizerConfig = join(dir, "tokenizer_config.json");
  const modelMax = existsSync(tokenizerConfig) ? readJson(tokenizerConfig).model_max_length : undefined;
  return typeof modelMax === "number" && modelMax > 0 ? Math.min(modelMax, config.maxPositions) : config.maxPositions;
}

export interface LoadTrainingModelOptions {
  maxSeqLength?: number;
}

function loadMlm(dir: string, pooling: { folder: string | null; isSparseEncoder: boolean }, options: LoadTrainingModelOptions): TrainingModelSource {
  if (!existsSync(join(dir, "config.json"))) throw new SpladeError("FILE_NOT_FOUND", `${dir}: no config.json (not a model folder)`, { path: dir });
  const weightsPath = join(dir, "model.safetensors");
  if (!existsSync(weightsPath)) throw new SpladeError("FILE_NOT_FOUND", `${dir}: no model.safetensors (only safetensors checkpoints are read)`, { path: weightsPath });
  const config = readTransformerConfig(join(dir, "config.json"));
  const sbertConfig = join(dir, "sentence_bert_config.json");
  const configured = existsSync(sbertConfig) ? readJson(sbertConfig).max_seq_length : undefined;
  const maxSeqLength = options.maxSeqLength ?? (typeof configured === "number" ? configured : defaultMaxSeqLength(dir, config));
  checkMaxSeqLength(maxSeqLength, config);
  return {
    dir,
    config,
    weights: CheckpointWeights.open(weightsPath),
    tokenizer: BertTokenizer.fromModelDir(dir),
    pooling: pooling.folder ? readPooling(pooling.folder) : { pooling: "max", activation: "relu" },
    maxSeqLength,
    isSparseEncoder: pooling.isSparseEncoder,
  };
}

function checkMaxSeqLength(maxSeqLength: number, config: TransformerConfig): void {
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 3 || maxSeqLength > config.maxPositions) {
    throw new SpladeError("INVALID_ARGUMENT", `max_seq_length ${maxSeqLength} must be an integer in [3, ${config.maxPositions}] (max_position_embeddings)`);
  }
}

async function loadRouter(dir: string, options: LoadTrainingModelOptions): Promise<TrainingModelSource | null> {
  const pipeline = await loadPipeline(dir);
  if (!pipeline.router) return null;
  const router = routerLayout(pipeline);
  const { mlm, pooling } = router.mlm;
  const maxSeqLength = options.maxSeqLength ?? mlm.maxSeqLength;
  checkMaxSeqLength(maxSeqLength, mlm.config);
  if (router.static.weight.length !== mlm.config.vocabSize) {
    const path = join(router.static.dir, "model.safetensors");
    throw new SpladeError("INVALID_FILE", `${path}: the SparseStaticEmbedding weight has ${router.static.weight.length} entries, the document MLM's vocabulary ${mlm.config.vocabSize}`, { path });
  }
  const source = { dir: mlm.dir, config: mlm.config, weights: mlm.weights, tokenizer: BertTokenizer.fromModelDir(mlm.dir), pooling: pooling.options, maxSeqLength, isSparseEncoder: true };
  return { ...source, router };
}

/** Whether `dir` has a modules.json naming a Router. */
function hasRouter(dir: string): boolean {
  const path = join(dir, "modules.json");
  if (!existsSync(path)) return false;
  const modules = readJson(path) as unknown;
  return Array.isArray(modules) && modules.some((m) => typeof m?.type === "string" && /(^|\.)Router$/.test(m.type));
}

/** A SparseEncoder folder (plain or Router) or a *ForMaskedLM folder. */
export async function loadTrainingModel(dir: string, options: LoadTrainingModelOptions = {}): Promise<TrainingModelSource> {
  if (hasRouter(dir)) {
    const router = await loadRouter(dir, options);
    if (router) return router;
  }
  const folder = poolingFolder(dir);
  return loadMlm(dir, { folder, isSparseEncoder: folder !== null }, options);
}

/** Loads a training parameter by name and shape (graph-input names: checkpoint keys, `{module}.weight`). */
export type TrainingWeightLoader = (name: string, shape: number[]) => Float32Array;

/**
 * The parameters of `source` as stored in a model folder written from it (a checkpoint-N/, see
 * checkpoint/model-folder.ts), or the source's own initial values when `dir` is undefined.
 */
export function trainingWeights(source: TrainingModelSource, dir?: string): TrainingWeightLoader {
  const router = source.router;
  const mlm = dir === undefined ? source.weights : CheckpointWeights.open(join(dir, router?.mlm.moduleId ?? "", "model.safetensors"));
  if (!router) return (name, shape) => mlm.get(name, shape);
  const staticName = staticWeightName(router.static);
  const staticWeight = (shape: number[]): Float32Array =>
    dir === undefined ? router.static.weight : CheckpointWeights.open(join(dir, router.static.moduleId, "model.safetensors")).get("weight", shape);
  return (name, shape) => (name === staticName ? staticWeight(shape) : mlm.get(name, shape));
}
