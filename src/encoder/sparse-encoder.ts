/**
 * SparseEncoder: a sparse-encoder model loaded from a sentence-transformers folder or the Hub — SPLADE,
 * inference-free and two-encoder Router models, CSR — encoding texts to SparseVectors as sentence-transformers'
 * SparseEncoder does (same prompts, routes, truncation, pooling and max_active_dims). Each route runs either a
 * graph built from its checkpoint in onnxruntime (graph-route.ts) or a static lookup (static-route.ts); a
 * route's encoder is created the first time a text takes it, so inference-free queries never open a session.
 *
 *   const model = await SparseEncoder.fromPretrained("naver/splade-v3");
 *   const [q] = await model.encodeQuery(["what causes tides"]);
 *   const docs = await model.encodeDocument(corpus, { onProgress: ({ done, total }) => … });
 *   model.similarity([q], docs); model.decode(q, 10); await model.release();
 */
import type { HubOptions } from "../hub/index.js";
import type { SparseVector } from "../sparse/vector.js";
import type { BertTokenizer } from "../tokenizer/index.js";
import { check } from "../util/errors.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_KERNELS } from "./defaults.js";
import { checkRouteWeights, GraphRouteEncoder } from "./graph-route.js";
import { resolveModelFolder } from "./load.js";
import { loadPipeline } from "./load-pipeline.js";
import { modelInfo, type ModelInfo } from "./model-info.js";
import type { ModelPipeline, Route, SimilarityName } from "./pipeline.js";
import { resolvePrompt, type PromptChoice, type Task } from "./prompts.js";
import type { RouteEncoder } from "./route-encoder.js";
import { resolveRoute } from "./router.js";
import { StaticRouteEncoder } from "./static-route.js";
import { decodeVector, intersect, similarityMatrix, sparsityOf, type Sparsity } from "./vector-ops.js";

export interface FromPretrainedOptions extends HubOptions {
  /** onnxruntime intra-op threads; default: all cores. */
  threads?: number;
  /** "int8": dynamic quantization of every Linear of SPLADE routes (faster, approximate; see quantize.ts). */
  quantize?: "int8";
  /** Default for encode's maxActiveDims (upstream SparseEncoder(max_active_dims=…)). */
  maxActiveDims?: number;
  /** Graph kernels; default "fused" (onnxruntime contrib ops). "plain" is the standard-ONNX reference. */
  kernels?: "plain" | "fused";
  /**
   * Folder caching optimized graphs (loads after the first skip building them, graph-cache.ts); `false` or
   * absent: no cache. The CLI uses $SPLADE_CACHE_DIR, else ~/.cache/splade-ts/graphs (resolveCacheDir).
   */
  graphCache?: string | false;
}

export interface EncodeProgress {
  done: number;
  total: number;
}

export interface EncodeOptions extends PromptChoice {
  /** Texts per batch; default 32 (sentence-transformers). */
  batchSize?: number;
  /** Keep only the k largest weights of each vector (CSR: k latents; default its SparseAutoEncoder's k). */
  maxActiveDims?: number;
  onProgress?: (progress: EncodeProgress) => void;
}

export interface EncodeWithTaskOptions extends EncodeOptions {
  /** The Router task (route) to take; default: the Router's default_route. Ignored by models without Router. */
  task?: string;
}

/** ModelInfo plus how this instance runs. */
export interface EncoderInfo extends ModelInfo {
  quantize: "int8" | null;
  threads: number | null;
}

function checkCount(value: number | undefined, name: string): void {
  check(value === undefined || (Number.isInteger(value) && value > 0), `${name} must be a positive integer, got ${value}`);
}

export class SparseEncoder {
  private readonly encoders = new Map<string, RouteEncoder>();

  private constructor(
    readonly pipeline: ModelPipeline,
    private readonly options: FromPretrainedOptions,
  ) {}

  /** Loads a model folder or a Hub id (downloaded into the Hugging Face cache; `offline` uses the cache only). */
  static async fromPretrained(idOrPath: string, options: FromPretrainedOptions = {}): Promise<SparseEncoder> {
    checkCount(options.threads, "threads");
    checkCount(options.maxActiveDims, "maxActiveDims");
    check(options.quantize === undefined || options.quantize === "int8", `quantize must be "int8", got ${JSON.stringify(options.quantize)}`);
    check(options.graphCache === undefined || options.graphCache === false || typeof options.graphCache === "string", "graphCache must be a folder path or false");
    const pipeline = await loadPipeline(await resolveModelFolder(idOrPath, options));
    for (const route of pipeline.routes) checkRouteWeights(route);
    return new SparseEncoder(pipeline, options);
  }

  /** Dimension of the vectors (the vocabulary size; for CSR, the latent size). */
  get vocabSize(): number {
    return this.pipeline.routes[0].dims;
  }

  get similarityFnName(): SimilarityName {
    return this.pipeline.similarityFnName;
  }

  /** The tokenizer decode() names dimensions with: the first route's, as upstream's Router.tokenizer. */
  get tokenizer(): BertTokenizer {
    return this.routeEncoder(this.pipeline.routes[0]).tokenizer;
  }

  /** max_seq_length of the route a plain encode() takes. */
  get maxSeqLength(): number {
    const input = resolveRoute(this.pipeline, undefined).modules[0];
    return (input.type === "SparseStaticEmbedding" ? input.maxSeqLength : "maxSeqLength" in input ? input.maxSeqLength : null) ?? Infinity;
  }

  /** Routes for which an onnxruntime session is open (none until a text takes a network route). */
  get openSessions(): string[] {
    return [...this.encoders.values()].filter((e) => e.hasSession).map((e) => e.route.name);
  }

  /** Encodes texts with the prompt the caller chose, else the model's default prompt (SparseEncoder.encode). */
  encode(texts: readonly string[], options: EncodeWithTaskOptions = {}): Promise<SparseVector[]> {
    return this.encodeWith(texts, options, undefined, options.task);
  }

  /** Encodes queries: the "query" route and prompt unless the caller chose a prompt (SparseEncoder.encode_query). */
  encodeQuery(texts: readonly string[], options: EncodeOptions = {}): Promise<SparseVector[]> {
    return this.encodeWith(texts, options, "query", "query");
  }

  /** Encodes documents: the "document" route, and the "document", "passage" or "corpus" prompt (encode_document). */
  encodeDocument(texts: readonly string[], options: EncodeOptions = {}): Promise<SparseVector[]> {
    return this.encodeWith(texts, options, "document", "document");
  }

  /** The token ids the model sees for each text (route, prompt, strip, lowercasing and truncation applied). */
  tokenIds(texts: readonly string[], options: PromptChoice = {}, task?: string): number[][] {
    const promptTask = task === "query" || task === "document" ? task : undefined;
    return this.routeEncoder(resolveRoute(this.pipeline, task)).tokenIds(texts, resolvePrompt(this.pipeline, options, promptTask));
  }

  private routeEncoder(route: Route): RouteEncoder {
    let encoder = this.encoders.get(route.name);
    if (encoder === undefined) {
      encoder =
        route.kind === "static"
          ? new StaticRouteEncoder(route)
          : new GraphRouteEncoder(route, {
              kernels: this.options.kernels ?? DEFAULT_KERNELS,
              quantize: route.kind === "splade" ? this.options.quantize : undefined,
              threads: this.options.threads,
              graphCache: typeof this.options.graphCache === "string" ? this.options.graphCache : undefined,
            });
      this.encoders.set(route.name, encoder);
    }
    return encoder;
  }

  private async encodeWith(texts: readonly string[], options: EncodeOptions, promptTask: Task | undefined, task: string | undefined): Promise<SparseVector[]> {
    check(Array.isArray(texts) && texts.every((t) => typeof t === "string"), "encode: texts must be an array of strings");
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxActiveDims = options.maxActiveDims ?? this.options.maxActiveDims;
    checkCount(batchSize, "batchSize");
    checkCount(maxActiveDims, "maxActiveDims");
    const prompt = resolvePrompt(this.pipeline, options, promptTask);
    const encoder = this.routeEncoder(resolveRoute(this.pipeline, task));
    return encoder.encode(texts, { prompt, batchSize, maxActiveDims, onProgress: (done) => options.onProgress?.({ done, total: texts.length }) });
  }

  /** [a.length × b.length] similarities; default function: the model's similarity_fn_name. */
  similarity(a: readonly SparseVector[], b: readonly SparseVector[], fn: SimilarityName = this.pipeline.similarityFnName): number[][] {
    return similarityMatrix(a, b, fn);
  }

  /**
   * (token, weight) pairs by weight, largest first; the `topK` first when given. Dimensions of a CSR model are
   * latents, not tokens: they are named by their id ("17").
   */
  decode(vector: SparseVector, topK?: number): Array<[string, number]> {
    const latent = this.pipeline.routes.every((r) => r.kind === "csr");
    return decodeVector(vector, (id) => (latent ? String(id) : this.tokenizer.idToToken(id)), topK);
  }

  /** Mean active dimensions and sparsity ratio of the vectors. */
  sparsity(vectors: SparseVector | readonly SparseVector[]): Sparsity {
    return sparsityOf(Array.isArray(vectors) ? vectors : [vectors as SparseVector], this.vocabSize);
  }

  /** The elementwise product of `a` with `b` (or with each of `b`): the dimensions both activate. */
  intersection(a: SparseVector, b: SparseVector): SparseVector;
  intersection(a: SparseVector, b: readonly SparseVector[]): SparseVector[];
  intersection(a: SparseVector, b: SparseVector | readonly SparseVector[]): SparseVector | SparseVector[] {
    return Array.isArray(b) ? b.map((v) => intersect(a, v)) : intersect(a, b as SparseVector);
  }

  info(): EncoderInfo {
    return { ...modelInfo(this.pipeline), quantize: this.options.quantize ?? null, threads: this.options.threads ?? null };
  }

  /** Frees the onnxruntime sessions. */
  async release(): Promise<void> {
    for (const encoder of this.encoders.values()) await encoder.release();
  }
}
