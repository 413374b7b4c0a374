/**
 * The loaded form of a SparseEncoder folder: its routes, each a list of modules applied in order, with the
 * configuration and weights each module read from its folder. A plain model (no Router) has one route;
 * a Router model (router_config.json) has one per key of its `structure`. This is what the encoder builds
 * graphs and static lookups from (route-encoder.ts), what `splade info` describes (model-info.ts), and what a
 * trainer or checkpoint writer can walk: module ids and folders are kept as upstream names them.
 *
 * Supported routes (anything else is UNSUPPORTED at load time, naming the file):
 *   SPLADE          MLMTransformer → SpladePooling [→ Normalize]
 *   inference-free  SparseStaticEmbedding
 *   CSR             Transformer → Pooling [→ Normalize] → SparseAutoEncoder [→ Normalize]
 */
import type { TransformerConfig } from "../model/config.js";
import type { PoolingOptions } from "../model/pooling.js";
import type { SpladePoolingOptions } from "../model/splade-pooling.js";
import type { CheckpointWeights } from "../model/weights.js";
import type { PromptConfig } from "./prompts.js";

export type SimilarityName = "dot" | "cosine";

interface ModuleBase {
  /** The module's id: its folder relative to the model folder ("" = the root), as modules.json / router_config.json name it. */
  readonly id: string;
  /** The folder the module was read from. */
  readonly dir: string;
  /** The class path as written in the model's files. */
  readonly typePath: string;
}

/** MLMTransformer (masked-LM head kept) or Transformer (bare encoder): an input module with a tokenizer. */
export interface TransformerModule extends ModuleBase {
  readonly type: "MLMTransformer" | "Transformer";
  readonly config: TransformerConfig;
  /** The architecture named in config.json (e.g. "DistilBertForMaskedLM", "BertModel"), or the model_type. */
  readonly architecture: string;
  readonly maxSeqLength: number;
  readonly doLowerCase: boolean;
  readonly weights: CheckpointWeights;
}

export interface SparseStaticEmbeddingModule extends ModuleBase {
  readonly type: "SparseStaticEmbedding";
  /** One weight per vocabulary entry [V]. */
  readonly weight: Float32Array;
  readonly frozen: boolean;
  /** The tokenizer's model_max_length (tokens, no special tokens); null when the tokenizer sets none. */
  readonly maxSeqLength: number | null;
  readonly weights: CheckpointWeights;
}

export interface SpladePoolingModule extends ModuleBase {
  readonly type: "SpladePooling";
  readonly options: SpladePoolingOptions;
  readonly wordEmbeddingDimension: number | null;
}

export interface PoolingModule extends ModuleBase {
  readonly type: "Pooling";
  readonly options: PoolingOptions;
  readonly wordEmbeddingDimension: number;
}

export interface SparseAutoEncoderModule extends ModuleBase {
  readonly type: "SparseAutoEncoder";
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly k: number;
  readonly kAux: number;
  readonly normalize: boolean;
  readonly deadThreshold: number;
  /** `decoder.linear.weight` or `encoder.weight`: where the tied matrix [H, D] is stored. */
  readonly matrixKey: string;
  readonly weights: CheckpointWeights;
}

export interface NormalizeModule extends ModuleBase {
  readonly type: "Normalize";
}

export type PipelineModule = TransformerModule | SparseStaticEmbeddingModule | SpladePoolingModule | PoolingModule | SparseAutoEncoderModule | NormalizeModule;

/** The three kinds of route splade-ts runs (see the header). */
export type RouteKind = "splade" | "static" | "csr";

export interface Route {
  /** The Router's route name ("query", "document", …); for a model without Router, "default". */
  readonly name: string;
  readonly kind: RouteKind;
  readonly modules: readonly PipelineModule[];
  /** Dimension of the route's vectors (vocabulary size, or the CSR latent size). */
  readonly dims: number;
}

/** One `route_mappings` entry of router_config.json: (task, modality) → route; null is the wildcard. */
export interface RouteMapping {
  readonly task: string | null;
  readonly modality: string | readonly string[] | null;
  readonly route: string;
}

export interface RouterConfig {
  /** router_config.json, for messages. */
  readonly file: string;
  /** After upstream's rule: allow_empty_key with no default_route → the first route. */
  readonly defaultRoute: string | null;
  readonly allowEmptyKey: boolean;
  readonly routeMappings: readonly RouteMapping[];
}

export interface ModelPipeline extends PromptConfig {
  readonly dir: string;
  readonly routes: readonly Route[];
  /** null for a model without Router (every task uses its one route). */
  readonly router: RouterConfig | null;
  readonly similarityFnName: SimilarityName;
  /** Whether the folder is a sentence-transformers model (modules.json) or a plain masked-LM folder. */
  readonly sentenceTransformers: boolean;
}
