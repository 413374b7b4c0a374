/**
 * An inference-free route: SparseStaticEmbedding (sentence-transformers sparse_encoder/models/
 * SparseStaticEmbedding.py). The text (prompt prepended, *not* stripped) is tokenized with the module's own
 * tokenizer **without special tokens**, truncated to the tokenizer's model_max_length; every distinct token id
 * gets `weight[id]` — no counts, no expansion (upstream scatters the attention mask into a presence vector and
 * multiplies by the weights). A lookup, not a network: no onnxruntime session exists for this route.
 */
import { pruneTopK } from "../sparse/prune.js";
import type { SparseVector } from "../sparse/vector.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { SpladeError } from "../util/errors.js";
import type { Route, SparseStaticEmbeddingModule } from "./pipeline.js";
import type { RouteEncodeOptions, RouteEncoder } from "./route-encoder.js";

export class StaticRouteEncoder implements RouteEncoder {
  readonly tokenizer: BertTokenizer;
  private readonly module: SparseStaticEmbeddingModule;

  constructor(readonly route: Route) {
    this.module = route.modules[0] as SparseStaticEmbeddingModule;
    this.tokenizer = BertTokenizer.fromModelDir(this.module.dir);
  }

  tokenIds(texts: readonly string[], prompt: string): number[][] {
    const limit = this.module.maxSeqLength ?? Infinity;
    return texts.map((text) => {
      const ids = this.tokenizer.tokenizeToIds(prompt + text);
      return ids.length > limit ? ids.slice(0, limit) : ids;
    });
  }

  /** The vector of one token sequence: weight[id] at each distinct id (zeros dropped). */
  private vectorOf(ids: readonly number[]): SparseVector {
    const weight = this.module.weight;
    const distinct = [...new Set(ids)].sort((a, b) => a - b);
    const indices: number[] = [];
    const values: number[] = [];
    for (const id of distinct) {
      if (id >= weight.length) {
        throw new SpladeError("INVALID_FILE", `${this.module.weights.path}: token id ${id} is outside 'weight' [${weight.length}]: the tokenizer and the weights disagree`, { path: this.module.weights.path });
      }
      if (weight[id] !== 0) {
        indices.push(id);
        values.push(weight[id]);
      }
    }
    return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
  }

  async encode(texts: readonly string[], options: RouteEncodeOptions): Promise<SparseVector[]> {
    const vectors: SparseVector[] = [];
    for (let start = 0; start < texts.length; start += options.batchSize) {
      for (const ids of this.tokenIds(texts.slice(start, start + options.batchSize), options.prompt)) {
        const vector = this.vectorOf(ids);
        vectors.push(options.maxActiveDims === undefined ? vector : pruneTopK(vector, options.maxActiveDims));
      }
      options.onProgress?.(vectors.length);
    }
    return vectors;
  }

  get hasSession(): boolean {
    return false;
  }

  async release(): Promise<void> {}
}
