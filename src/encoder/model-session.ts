/**
 * A loaded SPLADE graph in onnxruntime: padded token ids in, dense SPLADE rows [B, V] out (and the last
 * hidden state when the graph was built with it). Owns the onnxruntime session.
 *
 * Shapes: B batch, T tokens, C hidden, V vocabulary.
 */
import { GraphSession, ort, SAVED_GRAPH_LEVEL } from "../graph/session.js";
import type { TransformerConfig } from "../model/config.js";
import type { WeightSource } from "../model/weights.js";
import type { TokenBatch } from "./batching.js";
import type { SerializedModel } from "../graph/onnx-proto.js";
import { cacheEntry, dropEntry, fileDigestAsync, graphCacheKeyOf, readEntry, recordedDigest, stagingPath, touchEntry, type CacheEntry } from "./graph-cache.js";
import { writeEntryInBackground } from "./graph-cache-writer.js";
import { buildSpladeGraph, OUTPUT_HIDDEN, OUTPUT_SPLADE, type SpladeGraphOptions } from "./splade-graph.js";
import { exactWeightLevel } from "./vocab-screen.js";

export interface ModelSessionOptions extends SpladeGraphOptions {
  /** onnxruntime intra-op threads; default all cores. */
  threads?: number;
  /** Cache the optimized graph in `dir` (graph-cache.ts), keyed by the checkpoint file's bytes among others. */
  cache?: { dir: string; weightsPath: string };
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
    /** A cache entry being written in the background (graph-cache-writer.ts); release() waits for it. */
    private readonly cacheWrite?: Promise<void>,
  ) {}

  static async create(config: TransformerConfig, weights: WeightSource, options: ModelSessionOptions): Promise<ModelSession> {
    if (options.cache) {
      const { session, cacheWrite } = await cachedSession(config, weights, options, options.cache);
      return new ModelSession(config, session, options.hiddenStates ?? false, cacheWrite);
    }
    const { model, externalData } = buildSpladeGraph(config, weights, options);
    return new ModelSession(config, await GraphSession.create(model, { threads: options.threads, externalData }), options.hiddenStates ?? false);
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
    await this.cacheWrite;
  }
}

/**
 * A session from the graph cache, or built and optimized, with its cache entry written in the background
 * after the session exists (graph-cache-writer.ts). The session built on a miss is optimized at the cached
 * graph's level, so a first load and the loads after it run the same graph. A checkpoint file not hashed
 * before (a first load, almost always a miss) is hashed on another thread while this one builds the graph.
 */
async function cachedSession(config: TransformerConfig, weights: WeightSource, options: ModelSessionOptions, cache: { dir: string; weightsPath: string }): Promise<{ session: GraphSession; cacheWrite?: Promise<void> }> {
  const { pooling, quantize, vocabScreen } = options;
  const graph = { pooling, normalize: options.normalize ?? false, kernels: options.kernels ?? "fused", quantize, hiddenStates: options.hiddenStates ?? false, vocabScreen, screenLevel: exactWeightLevel() };
  const entryOf = (digest: string) => cacheEntry(cache.dir, graphCacheKeyOf(digest, { config, graph }));
  const recorded = recordedDigest(cache.weightsPath, cache.dir);
  let built: SerializedModel | undefined;
  let entry: CacheEntry;
  if (recorded !== undefined) entry = entryOf(recorded);
  else {
    const digest = fileDigestAsync(cache.weightsPath, cache.dir);
    digest.catch(() => {}); // if the build throws first, its error is the one reported
    built = buildSpladeGraph(config, weights, options);
    entry = entryOf(await digest);
  }
  const cached = readEntry(entry);
  if (cached) {
    try {
      const session = await GraphSession.create(cached, { threads: options.threads, optimization: "disabled", ortFormat: true });
      touchEntry(entry);
      return { session };
    } catch {
      dropEntry(entry); // unreadable (another onnxruntime build, a damaged file): rebuild it below
    }
  }
  built ??= buildSpladeGraph(config, weights, options);
  const session = await GraphSession.create(built.model, { threads: options.threads, optimization: SAVED_GRAPH_LEVEL, externalData: built.externalData });
  const staged = stagingPath(entry);
  return { session, cacheWrite: staged === undefined ? undefined : writeEntryInBackground({ graph: built, staged, entryPath: entry.path, dir: cache.dir }) };
}
