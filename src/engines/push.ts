/**
 * The push loop behind `splade push`: documents from a source (sources.ts) go to an engine target in
 * batches, in source order, each batch retried on transient failures with backoff (retry.ts); after each
 * finished batch the checkpoint (checkpoint.ts) records how far the source is done, so that a re-run of a
 * killed push resumes exactly there. Items the engine refuses for good (a weight rank_features cannot
 * store, an id it rejects, a duplicate id within the source) are counted and reported, not retried.
 * `create` makes the target (mapping/table + metadata, atomically) when it does not exist; an existing
 * target must have been created by splade-ts for the same model and statistics (target-meta.ts).
 * A failure after the target was created, or after documents were acknowledged, is reported with those
 * facts and the checkpoint to resume from: nothing is left half-done without the user being told.
 */
import { SpladeError } from "../util/errors.js";
import type { EngineDocument, EngineTarget, ItemFailure } from "./engine.js";
import type { TokenVocabulary } from "./feature-keys.js";
import { checkCompatible, type TargetMeta } from "./target-meta.js";
import { MAX_RECORDED_FAILURES, readCheckpoint, removeCheckpoint, writeCheckpoint, type PushCheckpoint } from "./checkpoint.js";
import { backoffDelayMs, RETRY_DEFAULTS, sleep, withRetries, type RetryOptions } from "./retry.js";

export interface PushSource {
  /** For messages, e.g. "index ./scifact-bm25". */
  readonly description: string;
  /** Identifies the source's content for the checkpoint (path, size, mtime or index generation, model). */
  readonly fingerprint: string;
  /** What the target records (model, dimension, BM25 statistics). */
  readonly meta: TargetMeta;
  readonly vocabulary: TokenVocabulary;
  /** Documents in the source, when known up front (progress). */
  readonly total?: number;
  /** Documents in source order from position `skip` on; ordinals are positions in the source. */
  documents(skip: number): AsyncIterable<EngineDocument>;
}

export interface PushProgress {
  readonly done: number;
  readonly total?: number;
  readonly acknowledged: number;
  readonly failed: number;
}

export interface PushOptions {
  /** Documents per bulk request / INSERT (default 500). */
  readonly batchSize?: number;
  /** Create the target when it does not exist. */
  readonly create?: boolean;
  /** Checkpoint file; null pushes without one (not resumable). */
  readonly checkpoint: string | null;
  readonly retry?: RetryOptions;
  readonly onProgress?: (progress: PushProgress) => void;
}

export interface PushReport {
  /** Documents sent to the engine in this run (re-sent ones included). */
  readonly sent: number;
  /** Documents the engine acknowledged, over the whole push (resumed runs included). */
  readonly acknowledged: number;
  readonly failedCount: number;
  /** The refused items (the first MAX_RECORDED_FAILURES). */
  readonly failed: readonly Omit<ItemFailure, "transient">[];
  /** Source documents a checkpoint let this run skip. */
  readonly resumedFrom: number;
  readonly created: boolean;
  readonly batches: number;
  readonly retries: number;
  readonly elapsedMs: number;
}

export const PUSH_DEFAULTS = { batchSize: 500 } as const;

export async function pushToTarget(target: EngineTarget, source: PushSource, options: PushOptions): Promise<PushReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? PUSH_DEFAULTS.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new SpladeError("INVALID_ARGUMENT", `batch size must be a positive integer, got ${batchSize}`);
  const identity = { engine: target.engine, url: target.location, target: target.name, source: source.fingerprint };
  const resumed = options.checkpoint === null ? null : readCheckpoint(options.checkpoint, identity);
  target.useVocabulary(source.vocabulary);

  let created = false;
  const existing = await target.readMeta();
  if (existing === null) {
    if (resumed !== null && resumed.acknowledged > 0) {
      throw new SpladeError("NOT_FOUND", `${target.description} does not exist, but checkpoint ${options.checkpoint} says ${resumed.acknowledged} documents were pushed into it; delete the checkpoint to start over`);
    }
    if (!options.create) throw new SpladeError("NOT_FOUND", `${target.description} does not exist; pass --create to create it`);
    await target.create(source.meta);
    created = true;
  } else {
    checkCompatible(existing, source.meta, target.description);
  }

  const state = {
    done: resumed?.done ?? 0,
    acknowledged: resumed?.acknowledged ?? 0,
    failedCount: resumed?.failedCount ?? 0,
    failed: [...(resumed?.failed ?? [])] as Array<Omit<ItemFailure, "transient">>,
    batches: resumed?.batches ?? 0,
    sent: 0,
    retries: 0,
  };
  const refuse = (failure: Omit<ItemFailure, "transient">) => {
    state.failedCount++;
    if (state.failed.length < MAX_RECORDED_FAILURES) state.failed.push({ id: failure.id, reason: failure.reason });
  };
  const save = () => {
    if (options.checkpoint === null) return;
    const checkpoint: PushCheckpoint = { format: "splade-ts-push-checkpoint", ...identity, done: state.done, acknowledged: state.acknowledged, failedCount: state.failedCount, failed: state.failed, batches: state.batches };
    writeCheckpoint(options.checkpoint, checkpoint);
  };
  const report = (): PushReport => ({
    sent: state.sent,
    acknowledged: state.acknowledged,
    failedCount: state.failedCount,
    failed: state.failed,
    resumedFrom: resumed?.done ?? 0,
    created,
    batches: state.batches,
    retries: state.retries,
    elapsedMs: performance.now() - started,
  });

  const retries = options.retry?.retries ?? RETRY_DEFAULTS.retries;
  const sendBatch = async (batch: EngineDocument[]) => {
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      state.sent += pending.length;
      const outcome = await withRetries(`bulk write to ${target.description}`, () => target.writeBatch(pending), options.retry);
      state.acknowledged += outcome.acknowledged;
      const transient = new Set(outcome.failed.filter((f) => f.transient).map((f) => f.id));
      for (const failure of outcome.failed) if (!failure.transient) refuse(failure);
      if (transient.size === 0) return;
      if (attempt >= retries) {
        const first = outcome.failed.find((f) => f.transient)!;
        throw new SpladeError("NETWORK", `${target.description} kept refusing ${transient.size} document(s) as busy after ${attempt + 1} attempts (first: "${first.id}": ${first.reason})`);
      }
      pending = pending.filter((d) => transient.has(d.id));
      state.retries++;
      await sleep(backoffDelayMs(attempt, options.retry));
    }
  };

  const seen = new Set<string>();
  let batch: EngineDocument[] = [];
  const flush = async () => {
    await sendBatch(batch);
    state.done += batch.length;
    state.batches++;
    batch = [];
    save();
    options.onProgress?.({ done: state.done, total: source.total, acknowledged: state.acknowledged, failed: state.failedCount });
  };
  try {
    options.onProgress?.({ done: state.done, total: source.total, acknowledged: state.acknowledged, failed: state.failedCount });
    for await (const doc of source.documents(state.done)) {
      if (seen.has(doc.id)) {
        refuse({ id: doc.id, reason: "duplicate id: an earlier document of the source has it (not sent)" });
        state.done++;
        continue;
      }
      seen.add(doc.id);
      batch.push(doc);
      if (batch.length === batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    await target.flush();
  } catch (error) {
    const r = report();
    const facts = [
      created ? `${target.description} was created by this run` : null,
      `${r.acknowledged} document(s) acknowledged, ${r.failedCount} refused so far`,
      options.checkpoint !== null ? `re-run the same command to resume (checkpoint ${options.checkpoint})` : "no checkpoint was kept",
    ].filter((f) => f !== null);
    if (error instanceof SpladeError) throw new SpladeError(error.code, `${error.message}; ${facts.join("; ")}`, { cause: error, path: error.path });
    throw error;
  }
  if (options.checkpoint !== null) removeCheckpoint(options.checkpoint);
  return report();
}
