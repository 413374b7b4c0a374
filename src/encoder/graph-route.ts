/**
 * A route that runs a network in onnxruntime: SPLADE (MLMTransformer → SpladePooling, splade-graph.ts) or
 * CSR (Transformer → Pooling → SparseAutoEncoder, csr-graph.ts). Texts are prepared as the input module does
 * (prompt, `strip()`, lowercasing per sentence_bert_config.json), sorted by length into batches as
 * sentence-transformers does (batching.ts), padded per batch and truncated to the route's max_seq_length.
 * The graph is built and the session created on the first encode, not before.
 *
 * Shapes: B batch, T tokens, V vocabulary, K latents kept.
 */
import { GraphSession, ort } from "../graph/session.js";
import { fromEntries } from "../sparse/ops.js";
import type { SparseVector } from "../sparse/vector.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { lengthSortedBatches, sliceRows, type TokenBatch } from "./batching.js";
import { shapeChecker } from "../model/weights.js";
import { buildCsrGraph, csrGraph, CSR_OUTPUT_INDICES, CSR_OUTPUT_VALUES } from "./csr-graph.js";
import { MAX_TOKENS_PER_RUN } from "./defaults.js";
import { ModelSession } from "./model-session.js";
import { spladeGraph } from "./splade-graph.js";
import type { PoolingModule, Route, SparseAutoEncoderModule, SpladePoolingModule, TransformerModule } from "./pipeline.js";
import { prepareText } from "./prompts.js";
import type { RouteEncodeOptions, RouteEncoder } from "./route-encoder.js";
import { denseRowToSparse } from "./vector-ops.js";

export interface GraphRouteOptions {
  threads?: number;
  kernels: "plain" | "fused";
  quantize?: "int8";
  /** Folder caching the optimized SPLADE graph (graph-cache.ts); single-file checkpoints only. */
  graphCache?: string;
}

/**
 * Builds the route's graph with a shape-checking weight source (no data read, nothing serialized), so a
 * checkpoint that lacks a tensor or has one of the wrong shape fails when the model is loaded, not at the
 * first text that takes the route.
 */
export function checkRouteWeights(route: Route): void {
  const input = route.modules[0] as TransformerModule;
  if (route.kind === "splade") spladeGraph(input.config, shapeChecker(input.weights), { pooling: (route.modules[1] as SpladePoolingModule).options, kernels: "plain" });
  else if (route.kind === "csr") csrGraph(route.modules, { kernels: "plain" }, (m) => shapeChecker(m.weights));
}

/** Rows [B, k] of (values, indices) → sparse vectors (indices ascending, zeros dropped). */
function latentRows(values: Float32Array, indices: BigInt64Array, rows: number, k: number): SparseVector[] {
  const vectors: SparseVector[] = [];
  for (let b = 0; b < rows; b++) {
    const entries: Array<[number, number]> = [];
    for (let j = b * k; j < (b + 1) * k; j++) if (values[j] !== 0) entries.push([Number(indices[j]), values[j]]);
    vectors.push(fromEntries(entries));
  }
  return vectors;
}

export class GraphRouteEncoder implements RouteEncoder {
  readonly tokenizer: BertTokenizer;
  private readonly input: TransformerModule;
  private session: Promise<ModelSession | GraphSession> | undefined;

  constructor(
    readonly route: Route,
    private readonly options: GraphRouteOptions,
  ) {
    this.input = route.modules[0] as TransformerModule;
    this.tokenizer = BertTokenizer.fromModelDir(this.input.dir);
  }

  get hasSession(): boolean {
    return this.session !== undefined;
  }

  private prepare(texts: readonly string[], prompt: string): string[] {
    return texts.map((text) => prepareText(text, prompt, this.input.doLowerCase));
  }

  tokenIds(texts: readonly string[], prompt: string): number[][] {
    return this.prepare(texts, prompt).map((text) => this.tokenizer.encode(text, { maxLength: this.input.maxSeqLength }));
  }

  private open(): Promise<ModelSession | GraphSession> {
    this.session ??= (async () => {
      const { config, weights } = this.input;
      if (this.route.kind === "splade") {
        const pooling = (this.route.modules[1] as SpladePoolingModule).options;
        const normalize = this.route.modules.length > 2;
        // A sharded checkpoint's path is its index file, whose bytes do not pin the weights: no cache for it.
        const single = weights.format === "safetensors" || weights.format === "pytorch";
        const cache = this.options.graphCache !== undefined && single ? { dir: this.options.graphCache, weightsPath: weights.path } : undefined;
        return ModelSession.create(config, weights, { pooling, normalize, kernels: this.options.kernels, quantize: this.options.quantize, threads: this.options.threads, cache });
      }
      return GraphSession.create(buildCsrGraph(this.route.modules, { kernels: this.options.kernels }), { threads: this.options.threads });
    })();
    return this.session;
  }

  /** The pooling mask of a CSR route: the attention mask without the prompt's tokens when include_prompt is false. */
  private poolingMask(rows: TokenBatch, prompt: string): BigInt64Array {
    const pool = this.route.modules[1] as PoolingModule;
    if (pool.options.includePrompt || prompt === "") return rows.attentionMask;
    // Upstream: prompt_length = len(tokenize([prompt])["input_ids"]) - 1, i.e. [CLS] and the prompt's tokens.
    const promptLength = this.tokenIds([""], prompt)[0].length - 1;
    const mask = rows.attentionMask.slice();
    for (let b = 0; b < rows.batchSize; b++) mask.fill(0n, b * rows.seqLen, b * rows.seqLen + Math.min(promptLength, rows.seqLen));
    return mask;
  }

  private async run(rows: TokenBatch, options: RouteEncodeOptions): Promise<SparseVector[]> {
    const session = await this.open();
    if (session instanceof ModelSession) {
      const { splade } = await session.run(rows);
      return Array.from({ length: rows.batchSize }, (_, b) => denseRowToSparse(splade, b, this.route.dims, options.maxActiveDims));
    }
    const sae = this.route.modules.find((m) => m.type === "SparseAutoEncoder") as SparseAutoEncoderModule;
    // SparseAutoEncoder.forward(max_active_dims): k = max_active_dims, else the module's k (at most H here).
    const k = Math.min(options.maxActiveDims ?? sae.k, sae.hiddenDim);
    const dims = [rows.batchSize, rows.seqLen];
    const out = await session.run(
      {
        input_ids: new ort.Tensor("int64", rows.inputIds, dims),
        attention_mask: new ort.Tensor("int64", rows.attentionMask, dims),
        pooling_mask: new ort.Tensor("int64", this.poolingMask(rows, options.prompt), dims),
        k: new ort.Tensor("int64", BigInt64Array.from([BigInt(k)]), [1]),
      },
      [CSR_OUTPUT_VALUES, CSR_OUTPUT_INDICES],
    );
    return latentRows(out[CSR_OUTPUT_VALUES].data as Float32Array, out[CSR_OUTPUT_INDICES].data as BigInt64Array, rows.batchSize, k);
  }

  async encode(texts: readonly string[], options: RouteEncodeOptions): Promise<SparseVector[]> {
    const prepared = this.prepare(texts, options.prompt);
    const results: SparseVector[] = new Array(texts.length);
    let done = 0;
    for (const positions of lengthSortedBatches(prepared.map((t) => t.length), options.batchSize)) {
      const batch = this.tokenizer.encodeBatch(positions.map((p) => prepared[p]), { maxLength: this.input.maxSeqLength });
      const rowsPerRun = Math.max(1, Math.floor(MAX_TOKENS_PER_RUN / batch.seqLen));
      const vectors: SparseVector[] = [];
      for (let start = 0; start < batch.batchSize; start += rowsPerRun) {
        vectors.push(...(await this.run(sliceRows(batch, start, Math.min(batch.batchSize, start + rowsPerRun)), options)));
      }
      positions.forEach((p, k) => (results[p] = vectors[k]));
      done += positions.length;
      options.onProgress?.(done);
    }
    return results;
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await (await session).release();
  }
}
