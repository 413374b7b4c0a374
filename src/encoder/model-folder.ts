/**
 * Reads a SPLADE model folder as sentence-transformers saves it, or a plain Hugging Face *ForMaskedLM folder:
 *
 *   modules.json                      [MLMTransformer (path ""), SpladePooling (path "1_SpladePooling")]
 *   config_sentence_transformers.json prompts, default_prompt_name, similarity_fn_name
 *   sentence_bert_config.json         max_seq_length, do_lower_case
 *   1_SpladePooling/config.json       pooling_strategy (max|sum), activation_function (relu|log1p_relu)
 *   config.json, model.safetensors, tokenizer.json (or vocab.txt + tokenizer_config.json)
 *
 * Without modules.json the folder is taken as upstream does (SparseEncoder._load_auto_model): an MLM
 * transformer followed by SpladePooling("max", "relu"), max_seq_length = min(max_position_embeddings,
 * tokenizer_config.json's model_max_length) as MLMTransformer computes it. Missing or malformed files are
 * typed errors that name the file.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { normalizeConfig, type TransformerConfig } from "../model/config.js";
import { readJsonFile } from "../util/text-file.js";
import type { SpladePoolingOptions } from "../model/splade-pooling.js";
import { SpladeError } from "../util/errors.js";

export type SimilarityName = "dot" | "cosine";

export interface ModelFolder {
  dir: string;
  config: TransformerConfig;
  /** The architecture named in config.json (e.g. "DistilBertForMaskedLM"), or the model_type. */
  architecture: string;
  maxSeqLength: number;
  doLowerCase: boolean;
  pooling: SpladePoolingOptions;
  prompts: Record<string, string>;
  defaultPromptName: string | null;
  similarityFnName: SimilarityName;
  /** Whether the folder had modules.json (a sentence-transformers model) or was a plain MLM. */
  sentenceTransformers: boolean;
}

/**
 * Module types we can run, as written in modules.json: sentence-transformers 5 writes
 * `sentence_transformers.sparse_encoder.models.MLMTransformer` / `….SpladePooling` (later releases move the
 * package path), so the class name decides.
 */
const isModule = (type: unknown, className: "MLMTransformer" | "SpladePooling") =>
  typeof type === "string" && type.startsWith("sentence_transformers.") && type.endsWith(`.${className}`);

interface ModuleEntry {
  idx?: number;
  name?: string;
  path: string;
  type: string;
}

function invalid(path: string, problem: string): never {
  throw new SpladeError("INVALID_FILE", `${path}: ${problem}`, { path });
}

function readObject(path: string): Record<string, unknown> {
  const json = readJsonFile(path);
  if (typeof json !== "object" || json === null || Array.isArray(json)) invalid(path, "expected a JSON object");
  return json as Record<string, unknown>;
}

function readModules(dir: string): { poolingPath: string } | undefined {
  const path = join(dir, "modules.json");
  if (!existsSync(path)) return undefined;
  const modules = readJsonFile(path);
  if (!Array.isArray(modules) || modules.some((m) => typeof m !== "object" || m === null || typeof m.path !== "string")) {
    invalid(path, "expected a list of {idx, name, path, type}");
  }
  const entries = modules as ModuleEntry[];
  const types = entries.map((m) => m.type).join(", ");
  if (entries.length !== 2 || !isModule(entries[0].type, "MLMTransformer") || !isModule(entries[1].type, "SpladePooling")) {
    throw new SpladeError("UNSUPPORTED", `${path}: modules [${types}] are not supported; splade-ts runs MLMTransformer followed by SpladePooling`, { path });
  }
  if (entries[0].path !== "") {
    throw new SpladeError("UNSUPPORTED", `${path}: the MLMTransformer must be at the folder root (path ""), found "${entries[0].path}"`, { path });
  }
  return { poolingPath: entries[1].path };
}

function readPooling(dir: string, poolingPath: string): SpladePoolingOptions {
  const path = join(dir, poolingPath, "config.json");
  const json = readObject(path);
  const pooling = json.pooling_strategy ?? "max";
  const activation = json.activation_function ?? "relu";
  if (pooling !== "max" && pooling !== "sum") invalid(path, `pooling_strategy must be "max" or "sum", got ${JSON.stringify(pooling)}`);
  if (activation !== "relu" && activation !== "log1p_relu") {
    invalid(path, `activation_function must be "relu" or "log1p_relu", got ${JSON.stringify(activation)}`);
  }
  return { pooling, activation };
}

function readSentenceTransformersConfig(dir: string): Pick<ModelFolder, "prompts" | "defaultPromptName" | "similarityFnName"> {
  const path = join(dir, "config_sentence_transformers.json");
  const json = existsSync(path) ? readObject(path) : {};
  const prompts = json.prompts ?? {};
  if (typeof prompts !== "object" || prompts === null || Array.isArray(prompts) || Object.values(prompts).some((p) => typeof p !== "string")) {
    invalid(path, "prompts must map names to strings");
  }
  const defaultPromptName = json.default_prompt_name ?? null;
  if (defaultPromptName !== null && (typeof defaultPromptName !== "string" || !(defaultPromptName in prompts))) {
    invalid(path, `default_prompt_name ${JSON.stringify(defaultPromptName)} is not one of the prompts`);
  }
  // SparseEncoder.similarity_fn_name: "dot" when unset.
  const similarity = json.similarity_fn_name ?? "dot";
  if (similarity !== "dot" && similarity !== "cosine") {
    throw new SpladeError("UNSUPPORTED", `${path}: similarity_fn_name ${JSON.stringify(similarity)} is not supported (dot, cosine)`, { path });
  }
  return { prompts: prompts as Record<string, string>, defaultPromptName: defaultPromptName as string | null, similarityFnName: similarity };
}

/** MLMTransformer: sentence_bert_config.json, else min(max_position_embeddings, tokenizer model_max_length). */
function readSequenceConfig(dir: string, config: TransformerConfig): { maxSeqLength: number; doLowerCase: boolean } {
  const path = join(dir, "sentence_bert_config.json");
  const json = existsSync(path) ? readObject(path) : {};
  const doLowerCase = json.do_lower_case ?? false;
  if (typeof doLowerCase !== "boolean") invalid(path, "do_lower_case must be true or false");
  let maxSeqLength = json.max_seq_length;
  if (maxSeqLength === undefined || maxSeqLength === null) {
    const tokenizerConfigPath = join(dir, "tokenizer_config.json");
    const modelMaxLength = existsSync(tokenizerConfigPath) ? readObject(tokenizerConfigPath).model_max_length : undefined;
    maxSeqLength = Math.min(config.maxPositions, typeof modelMaxLength === "number" ? modelMaxLength : Infinity);
  }
  if (typeof maxSeqLength !== "number" || !Number.isInteger(maxSeqLength) || maxSeqLength < 2) {
    invalid(path, `max_seq_length must be an integer ≥ 2, got ${JSON.stringify(maxSeqLength)}`);
  }
  if (maxSeqLength > config.maxPositions) {
    invalid(path, `max_seq_length ${maxSeqLength} exceeds config.json max_position_embeddings ${config.maxPositions}`);
  }
  return { maxSeqLength, doLowerCase };
}

/** Reads and checks every configuration file of the model folder `dir` (weights and tokenizer are read later). */
export function readModelFolder(dir: string): ModelFolder {
  const configPath = join(dir, "config.json");
  const configJson = readObject(configPath);
  const config = normalizeConfig(configJson, configPath);
  const architectures = Array.isArray(configJson.architectures) ? configJson.architectures.filter((a) => typeof a === "string") : [];
  const modules = readModules(dir);
  if (!modules && architectures.length > 0 && !architectures.some((a) => a.endsWith("ForMaskedLM"))) {
    // Upstream would build a CSR model (Transformer + SparseAutoEncoder) here: a different architecture.
    throw new SpladeError("UNSUPPORTED", `${configPath}: architecture ${architectures.join(", ")} has no masked-LM head; SPLADE needs a *ForMaskedLM model`, { path: configPath });
  }
  const pooling: SpladePoolingOptions = modules ? readPooling(dir, modules.poolingPath) : { pooling: "max", activation: "relu" };
  return {
    dir,
    config,
    architecture: architectures[0] ?? config.kind,
    ...readSequenceConfig(dir, config),
    pooling,
    ...readSentenceTransformersConfig(dir),
    sentenceTransformers: modules !== undefined,
  };
}

/** The files a model folder may have, for fetching from the Hub (required ones first). */
export const MODEL_FILES = [
  "config.json",
  "model.safetensors",
  { file: "modules.json", optional: true },
  { file: "config_sentence_transformers.json", optional: true },
  { file: "sentence_bert_config.json", optional: true },
  { file: "1_SpladePooling/config.json", optional: true },
  { file: "tokenizer.json", optional: true },
  { file: "tokenizer_config.json", optional: true },
  { file: "vocab.txt", optional: true },
  { file: "special_tokens_map.json", optional: true },
] as const;
