/**
 * What `splade info` and SparseEncoder.info() report about a model: its routes and their modules, the main
 * transformer (architecture and sizes from config.json: the first transformer of the default route, else of
 * any route), the checkpoints (parameters, dtypes, formats), and the sentence-transformers settings
 * (max_seq_length, pooling, prompts, similarity). `describeModel` reads configuration files and checkpoint
 * headers only; it builds no graph.
 */
import type { HubOptions } from "../hub/index.js";
import type { TransformerConfig } from "../model/config.js";
import { poolingModes } from "../model/pooling.js";
import type { CheckpointFormat } from "../model/tensor-store.js";
import type { CheckpointWeights } from "../model/weights.js";
import { isSpladeError } from "../util/errors.js";
import { resolveModelFolder } from "./load.js";
import { loadPipeline } from "./load-pipeline.js";
import type { ModelPipeline, PipelineModule, RouteKind, SimilarityName, TransformerModule } from "./pipeline.js";
import { resolveRouteName } from "./router.js";

export interface ModuleInfo {
  /** Folder relative to the model folder ("" = root). */
  id: string;
  /** Class name (MLMTransformer, SpladePooling, SparseStaticEmbedding, …). */
  type: string;
  /** One line: sizes, modes, weights. */
  summary: string;
}

export interface RouteInfo {
  name: string;
  kind: RouteKind;
  /** Dimension of the route's vectors. */
  dims: number;
  modules: ModuleInfo[];
}

export interface ModelInfo {
  path: string;
  architecture: string;
  kind: TransformerConfig["kind"] | null;
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  /** Elements of every tensor of every module's checkpoint (used by the graph or not, e.g. bert.pooler). */
  parameters: number;
  /** Storage dtypes present in the checkpoints (F32, F16, BF16, …). */
  dtypes: string[];
  /** Weight file formats (safetensors, safetensors-sharded, pytorch, …). */
  formats: CheckpointFormat[];
  maxSeqLength: number;
  doLowerCase: boolean;
  /** SpladePooling of the main route; null when it has none (CSR, inference-free only). */
  pooling: "max" | "sum" | null;
  activation: "relu" | "log1p_relu" | null;
  prompts: Record<string, string>;
  defaultPromptName: string | null;
  similarityFnName: SimilarityName;
  /** Whether the folder is a sentence-transformers model (modules.json) or a plain masked-LM folder. */
  sentenceTransformers: boolean;
  /** Dimension of the output vectors (vocabulary size; CSR: latent size). */
  dimensions: number;
  /** Whether the model routes texts with a Router (router_config.json). */
  router: boolean;
  routes: RouteInfo[];
  /** The route a plain encode() takes; null without Router, or when the Router has no default (a task is needed). */
  defaultRoute: string | null;
}

function weightsOf(m: PipelineModule): CheckpointWeights | undefined {
  return "weights" in m ? m.weights : undefined;
}

function summary(m: PipelineModule): string {
  const w = weightsOf(m);
  const file = w ? `, ${w.format}` : "";
  switch (m.type) {
    case "MLMTransformer":
    case "Transformer":
      return `${m.architecture}: hidden ${m.config.hidden}, ${m.config.layers} layers, ${m.config.heads} heads, vocabulary ${m.config.vocabSize}, max_seq_length ${m.maxSeqLength}${file}`;
    case "SparseStaticEmbedding":
      return `${m.weight.length} weights, max_seq_length ${m.maxSeqLength ?? "none"}, ${m.frozen ? "frozen" : "trainable"}${file}`;
    case "SpladePooling":
      return `${m.options.pooling}, ${m.options.activation}`;
    case "Pooling":
      return `${poolingModes(m.options).join(" + ")}${m.options.includePrompt ? "" : ", prompt excluded"}`;
    case "SparseAutoEncoder":
      return `${m.inputDim} → ${m.hiddenDim}, k ${m.k}${m.normalize ? ", normalize" : ""}${file}`;
    case "Normalize":
      return "L2";
  }
}

function mainRoute(pipeline: ModelPipeline) {
  const name = pipeline.router?.defaultRoute ?? pipeline.routes[0].name;
  const ordered = [pipeline.routes.find((r) => r.name === name)!, ...pipeline.routes];
  return ordered.find((r) => r.kind !== "static") ?? ordered[0];
}

export function modelInfo(pipeline: ModelPipeline): ModelInfo {
  const route = mainRoute(pipeline);
  const transformer = route.modules[0].type === "SparseStaticEmbedding" ? undefined : (route.modules[0] as TransformerModule);
  const c = transformer?.config;
  const splade = route.modules.find((m) => m.type === "SpladePooling");
  const stores = [...new Set(pipeline.routes.flatMap((r) => r.modules.map(weightsOf)).filter((w) => w !== undefined))];
  const tensors = stores.flatMap((w) => w.file.names().map((name) => w.file.info(name)));
  const first = route.modules[0];
  return {
    path: pipeline.dir,
    architecture: transformer?.architecture ?? "SparseStaticEmbedding",
    kind: c?.kind ?? null,
    vocabSize: c?.vocabSize ?? route.dims,
    hidden: c?.hidden ?? 0,
    layers: c?.layers ?? 0,
    heads: c?.heads ?? 0,
    intermediate: c?.intermediate ?? 0,
    maxPositions: c?.maxPositions ?? 0,
    parameters: tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0),
    dtypes: [...new Set(tensors.map((t) => t.dtype))],
    formats: [...new Set(stores.map((w) => w.format))],
    maxSeqLength: (first.type === "SparseStaticEmbedding" ? first.maxSeqLength : transformer?.maxSeqLength) ?? 0,
    doLowerCase: transformer?.doLowerCase ?? false,
    pooling: splade?.type === "SpladePooling" ? splade.options.pooling : null,
    activation: splade?.type === "SpladePooling" ? splade.options.activation : null,
    prompts: { ...pipeline.prompts },
    defaultPromptName: pipeline.defaultPromptName,
    similarityFnName: pipeline.similarityFnName,
    sentenceTransformers: pipeline.sentenceTransformers,
    dimensions: route.dims,
    router: pipeline.router !== null,
    routes: pipeline.routes.map((r) => ({ name: r.name, kind: r.kind, dims: r.dims, modules: r.modules.map((m) => ({ id: m.id, type: m.type, summary: summary(m) })) })),
    defaultRoute: pipeline.router ? resolveRouteNameOrNull(pipeline) : null,
  };
}

/** The route a plain encode() takes, or null when there is none (no default route: encode() needs a task). */
function resolveRouteNameOrNull(pipeline: ModelPipeline): string | null {
  try {
    return resolveRouteName(pipeline);
  } catch (error) {
    if (isSpladeError(error, "INVALID_ARGUMENT")) return null;
    throw error;
  }
}

/** Describes a model folder or Hub id without building its graphs. */
export async function describeModel(idOrPath: string, hub: HubOptions = {}): Promise<ModelInfo> {
  return modelInfo(await loadPipeline(await resolveModelFolder(idOrPath, hub)));
}
