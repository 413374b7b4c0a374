/**
 * SparseEncoder: a SPLADE model loaded from a sentence-transformers folder or the Hub, encoding texts to
 * SparseVectors as sentence-transformers' SparseEncoder does (same prompts, truncation, pooling and
 * max_active_dims), with onnxruntime running a graph built from the checkpoint (see splade-graph.ts).
 *
 *   const model = await SparseEncoder.fromPretrained("naver/splade-v3");
 *   const [q] = await model.encodeQuery(["what causes tides"]);
 *   const docs = await model.encodeDocument(corpus, { onProgress: ({ done, total }) => … });
 *   model.similarity([q], docs); model.decode(q, 10); await model.release();
 */
import { join } from "node:path";
import type { HubOptions } from "../hub/index.js";
import { CheckpointWeights } from "../model/weights.js";
import type { SparseVector } from "../sparse/vector.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { check } from "../util/errors.js";
import { lengthSortedBatches, sliceRows, type TokenBatch } from "./batching.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_KERNELS, MAX_TOKENS_PER_RUN } from "./defaults.js";
import { resolveModelFolder } from "./load.js";
import { modelInfo, type ModelInfo } from "./model-info.js";
import { readModelFolder, type ModelFolder, type SimilarityName } from "./model-folder.js";
import { ModelSession } from "./model-session.js";
import { prepareText, resolvePrompt, type PromptChoice, type Task } from "./prompts.js";
import { decodeVector, denseRowToSparse, intersect, similarityMatrix, sparsityOf, type Sparsity } from "./vector-ops.js";

export interface FromPretrainedOptions extends HubOptions {
  /** onnxruntime intra-op threads; default: all cores. */
  threads?: number;
  /** "int8": dynamic quantization of every Linear (faster, approximate; see quantize.ts). */
  quantize?: "int8";
  /** Default for encode's maxActiveDims (upstream SparseEncoder(max_active_dims=…)). */
  maxActiveDims?: number;
  /** Graph kernels; default "fused" (onnxruntime contrib ops). "plain" is the standard-ONNX reference. */
  kernels?: "plain" | "fused";
}

export interface EncodeProgress {
  done: number;
  total: number;
}

export interface EncodeOptions extends PromptChoice {
  /** Texts per batch; default 32 (sentence-transformers). */
  batchSize?: number;
  /** Keep only the k largest weights of each vector. */
  maxActiveDims?: number;
  onProgress?: (progress: EncodeProgress) => void;
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
  private constructor(
    readonly folder: ModelFolder,
    readonly tokenizer: BertTokenizer,
    private readonly session: ModelSession,
    private readonly options: FromPretrainedOptions,
    private readonly checkpoint: ModelInfo,
  ) {}

  /** Loads a model folder or a Hub id (downloaded into the Hugging Face cache; `offline` uses the cache only). */
  static async fromPretrained(idOrPath: string, options: FromPretrainedOptions = {}): Promise<SparseEncoder> {
    checkCount(options.threads, "threads");
    checkCount(options.maxActiveDims, "maxActiveDims");
    check(options.quantize === undefined || options.quantize === "int8", `quantize must be "int8", got ${JSON.stringify(options.quantize)}`);
    const dir = await resolveModelFolder(idOrPath, options);
    const folder = readModelFolder(dir);
    const tokenizer = BertTokenizer.fromModelDir(dir);
    const weights = CheckpointWeights.open(join(dir, "model.safetensors"));
    const session = await ModelSession.create(folder.config, weights, {
      pooling: folder.pooling,
      kernels: options.kernels ?? DEFAULT_KERNELS,
      quantize: options.quantize,
      threads: options.threads,
    });
    return new SparseEncoder(folder, tokenizer, session, options, modelInfo(folder, weights));
  }

  get vocabSize(): number {
    return this.folder.config.vocabSize;
  }

  get maxSeqLength(): number {
    return this.folder.maxSeqLength;
  }

  /** Encodes texts with the prompt the caller chose, else the model's default prompt (SparseEncoder.encode). */
  encode(texts: readonly string[], options: EncodeOptions = {}): Promise<SparseVector[]> {
    return this.encodeWith(texts, options);
  }

  /** Encodes queries: the model's "query" prompt unless the caller chose one (SparseEncoder.encode_query). */
  encodeQuery(texts: readonly string[], options: EncodeOptions = {}): Promise<SparseVector[]> {
    return this.encodeWith(texts, options, "query");
  }

  /** Encodes documents: the "document", "passage" or "corpus" prompt unless chosen (encode_document). */
  encodeDocument(texts: readonly string[], options: EncodeOptions = {}): Promise<SparseVector[]> {
    return this.encodeWith(texts, options, "document");
  }

  /** The token ids the model sees for each text (prompt, strip, lowercasing and truncation applied). */
  tokenIds(texts: readonly string[], options: PromptChoice = {}, task?: Task): number[][] {
    const prompt = resolvePrompt(this.folder, options, task);
    return texts.map((text) => this.tokenizer.encode(prepareText(text, prompt, this.folder.doLowerCase), { maxLength: this.maxSeqLength }));
  }

  private async encodeWith(texts: readonly string[], options: EncodeOptions, task?: Task): Promise<SparseVector[]> {
    check(Array.isArray(texts) && texts.every((t) => typeof t === "string"), "encode: texts must be an array of strings");
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxActiveDims = options.maxActiveDims ?? this.options.maxActiveDims;
    checkCount(batchSize, "batchSize");
    checkCount(maxActiveDims, "maxActiveDims");
    const prompt = resolvePrompt(this.folder, options, task);
    const prepared = texts.map((text) => prepareText(text, prompt, this.folder.doLowerCase));
    const results: SparseVector[] = new Array(texts.length);
    let done = 0;
    for (const positions of lengthSortedBatches(prepared.map((t) => t.length), batchSize)) {
      const batch = this.tokenizer.encodeBatch(positions.map((p) => prepared[p]), { maxLength: this.maxSeqLength });
      const vectors = await this.runBatch(batch, maxActiveDims);
      positions.forEach((p, k) => (results[p] = vectors[k]));
      done += positions.length;
      options.onProgress?.({ done, total: texts.length });
    }
    return results;
  }

  /** Runs a padded batch in pieces of at most MAX_TOKENS_PER_RUN tokens. */
  private async runBatch(batch: TokenBatch, maxActiveDims: number | undefined): Promise<SparseVector[]> {
    const rowsPerRun = Math.max(1, Math.floor(MAX_TOKENS_PER_RUN / batch.seqLen));
    const vectors: SparseVector[] = [];
    for (let start = 0; start < batch.batchSize; start += rowsPerRun) {
      const rows = sliceRows(batch, start, Math.min(batch.batchSize, start + rowsPerRun));
      const { splade } = await this.session.run(rows);
      for (let b = 0; b < rows.batchSize; b++) vectors.push(denseRowToSparse(splade, b, this.vocabSize, maxActiveDims));
    }
    return vectors;
  }

  /** [a.length × b.length] similarities; default function: the model's similarity_fn_name. */
  similarity(a: readonly SparseVector[], b: readonly SparseVector[], fn: SimilarityName = this.folder.similarityFnName): number[][] {
    return similarityMatrix(a, b, fn);
  }

  /** (token, weight) pairs by weight, largest first; the `topK` first when given. */
  decode(vector: SparseVector, topK?: number): Array<[string, number]> {
    return decodeVector(vector, (id) => this.tokenizer.idToToken(id), topK);
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
    return { ...this.checkpoint, prompts: { ...this.checkpoint.prompts }, quantize: this.options.quantize ?? null, threads: this.options.threads ?? null };
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
