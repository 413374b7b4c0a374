/**
 * A loaded SPLADE graph in onnxruntime: padded token ids in, dense SPLADE rows [B, V] out (and the last
 * hidden state when the graph was built with it). Owns the onnxruntime session.
 *
 * Shapes: B batch, T tokens, C hidden, V vocabulary.
 */
import { GraphSession, ort } from "../graph/session.js";
import type { TransformerConfig } from "../model/config.js";
import type { WeightSource } from "../model/weights.js";
import type { TokenBatch } from "./batching.js";
import { buildSpladeGraph, OUTPUT_HIDDEN, OUTPUT_SPLADE, type SpladeGraphOptions } from "./splade-graph.js";

export interface ModelSessionOptions extends SpladeGraphOptions {
  /** onnxruntime intra-op threads; default all cores. */
  threads?: number;
}

export interface ModelOutputs {
  /** [B, V] */
  splade: Float32Array;
  /** [B, T, C], when built with `hiddenStates`. */
  lastHidden?: Float32Array;
}

export class ModelSession {
  private constructor(
    readonly config: TransformerConfig,
    private readonly session: GraphSession,
    private readonly hiddenStates: boolean,
  ) {}

  static async create(config: TransformerConfig, weights: WeightSource, options: ModelSessionOptions): Promise<ModelSession> {
    const bytes = buildSpladeGraph(config, weights, options);
    const session = await GraphSession.create(bytes, { threads: options.threads });
    return new ModelSession(config, session, options.hiddenStates ?? false);
  }

  async run(batch: TokenBatch): Promise<ModelOutputs> {
    const dims = [batch.batchSize, batch.seqLen];
    const feeds = {
      input_ids: new ort.Tensor("int64", batch.inputIds, dims),
      attention_mask: new ort.Tensor("int64", batch.attentionMask, dims),
    };
    const out = await this.session.run(feeds, this.hiddenStates ? [OUTPUT_SPLADE, OUTPUT_HIDDEN] : [OUTPUT_SPLADE]);
    const result: ModelOutputs = { splade: out[OUTPUT_SPLADE].data as Float32Array };
    if (this.hiddenStates) result.lastHidden = out[OUTPUT_HIDDEN].data as Float32Array;
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
