/**
 * What `splade info` and SparseEncoder.info() report about a model: architecture and sizes (config.json),
 * the checkpoint (parameters, dtypes), and the sentence-transformers settings (max_seq_length, pooling,
 * prompts, similarity). `describeModel` reads only configuration files and the safetensors header.
 */
import { join } from "node:path";
import type { HubOptions } from "../hub/index.js";
import type { TransformerConfig } from "../model/config.js";
import { CheckpointWeights } from "../model/weights.js";
import { resolveModelFolder } from "./load.js";
import { readModelFolder, type ModelFolder, type SimilarityName } from "./model-folder.js";

export interface ModelInfo {
  path: string;
  architecture: string;
  kind: TransformerConfig["kind"];
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  /** Elements of all tensors in model.safetensors (used by the graph or not, e.g. bert.pooler). */
  parameters: number;
  /** Storage dtypes present in model.safetensors (F32, F16, BF16). */
  dtypes: string[];
  maxSeqLength: number;
  doLowerCase: boolean;
  pooling: ModelFolder["pooling"]["pooling"];
  activation: ModelFolder["pooling"]["activation"];
  prompts: Record<string, string>;
  defaultPromptName: string | null;
  similarityFnName: SimilarityName;
  /** Whether the folder is a sentence-transformers model (modules.json) or a plain masked-LM folder. */
  sentenceTransformers: boolean;
}

export function modelInfo(folder: ModelFolder, weights: CheckpointWeights): ModelInfo {
  const c = folder.config;
  const tensors = weights.file.tensors;
  return {
    path: folder.dir,
    architecture: folder.architecture,
    kind: c.kind,
    vocabSize: c.vocabSize,
    hidden: c.hidden,
    layers: c.layers,
    heads: c.heads,
    intermediate: c.intermediate,
    maxPositions: c.maxPositions,
    parameters: tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0),
    dtypes: [...new Set(tensors.map((t) => t.dtype))],
    maxSeqLength: folder.maxSeqLength,
    doLowerCase: folder.doLowerCase,
    pooling: folder.pooling.pooling,
    activation: folder.pooling.activation,
    prompts: { ...folder.prompts },
    defaultPromptName: folder.defaultPromptName,
    similarityFnName: folder.similarityFnName,
    sentenceTransformers: folder.sentenceTransformers,
  };
}

/** Describes a model folder or Hub id without building its graph. */
export async function describeModel(idOrPath: string, hub: HubOptions = {}): Promise<ModelInfo> {
  const dir = await resolveModelFolder(idOrPath, hub);
  return modelInfo(readModelFolder(dir), CheckpointWeights.open(join(dir, "model.safetensors")));
}
