/**
 * One lane per model: encode calls run one at a time, and calls that arrive while one runs are batched into
 * the next run. onnxruntime already spreads one run over every core, so concurrent runs would only contend;
 * batching the queries of concurrent requests instead amortises each forward pass (dynamic batching, as
 * inference servers do). When queries and documents both wait, the two kinds take turns, and a large document
 * batch is encoded in slices of `maxBatch` texts, so a bulk write does not stall searches for its whole
 * duration and a stream of searches does not starve writes.
 * BM25 encoders (tokenizing, synchronous) bypass the lane: batching gains nothing there; large batches are
 * tokenized in chunks so that the event loop keeps answering other requests.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import type { DocumentEncoder } from "../app/document-encoder.js";

export type EncodeTask = "query" | "document";

interface Job {
  readonly task: EncodeTask;
  readonly texts: readonly string[];
  readonly maxActiveDims: number | undefined;
  readonly results: SparseVector[];
  next: number; // texts taken so far
  done: number; // texts encoded so far
  failed: boolean;
  readonly resolve: (vectors: SparseVector[]) => void;
  readonly reject: (error: unknown) => void;
}

export interface EncodeObserver {
  (task: EncodeTask, texts: number, seconds: number): void;
}

export class EncoderLane {
  private readonly queue: Job[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastTask: EncodeTask = "document";

  constructor(
    readonly encoder: DocumentEncoder,
    private readonly maxBatch: number,
    private readonly observe: EncodeObserver = () => undefined,
  ) {}

  encode(task: EncodeTask, texts: readonly string[], options: { maxActiveDims?: number } = {}): Promise<SparseVector[]> {
    if (texts.length === 0) return Promise.resolve([]);
    if (this.encoder.kind === "bm25") return this.chunked(task, texts, options.maxActiveDims);
    if (this.stopped) return Promise.reject(stopped());
    return new Promise((resolve, reject) => {
      this.queue.push({ task, texts, maxActiveDims: options.maxActiveDims, results: new Array(texts.length), next: 0, done: 0, failed: false, resolve, reject });
      this.running ??= this.drain().finally(() => {
        this.running = null;
      });
    });
  }

  /** Refuses new work and drops waiting work (the run in progress finishes); resolves when the lane is idle. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running !== null) await this.running;
  }

  /** BM25: synchronous tokenizing, in chunks with a turn of the event loop between them (a bulk write does
   * not stall the searches being answered meanwhile). */
  private async chunked(task: EncodeTask, texts: readonly string[], maxActiveDims: number | undefined): Promise<SparseVector[]> {
    if (texts.length <= this.maxBatch) return this.direct(task, texts, maxActiveDims);
    const out: SparseVector[] = [];
    for (let start = 0; start < texts.length; start += this.maxBatch) {
      if (start > 0) await nextTurn();
      out.push(...(await this.direct(task, texts.slice(start, start + this.maxBatch), maxActiveDims)));
    }
    return out;
  }

  private async direct(task: EncodeTask, texts: readonly string[], maxActiveDims: number | undefined): Promise<SparseVector[]> {
    const started = performance.now();
    const options = maxActiveDims === undefined ? {} : { maxActiveDims };
    const vectors = task === "query" ? await this.encoder.encodeQueries(texts, options) : await this.encoder.encodeDocuments(texts, options);
    this.observe(task, texts.length, (performance.now() - started) / 1000);
    return vectors;
  }

  /**
   * The next run: texts of one kind, as many as fit. When queries and documents both wait, the kinds take
   * turns (queries never wait behind a whole bulk write, and writes are not starved by a stream of queries).
   */
  private takeBatch(): Array<{ job: Job; from: number; to: number }> {
    const waiting = (task: EncodeTask) => this.queue.find((j) => j.task === task && j.next < j.texts.length);
    const query = waiting("query");
    const document = waiting("document");
    const lead = query !== undefined && document !== undefined ? (this.lastTask === "query" ? document : query) : (query ?? document)!;
    this.lastTask = lead.task;
    const slices: Array<{ job: Job; from: number; to: number }> = [];
    let room = this.maxBatch;
    for (const job of this.queue) {
      if (room === 0) break;
      if (job.task !== lead.task || job.maxActiveDims !== lead.maxActiveDims || job.next === job.texts.length) continue;
      const take = Math.min(room, job.texts.length - job.next);
      slices.push({ job, from: job.next, to: job.next + take });
      job.next += take;
      room -= take;
    }
    return slices;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.stopped) {
        for (const job of this.queue.splice(0)) job.reject(stopped());
        return;
      }
      const slices = this.takeBatch();
      const texts = slices.flatMap(({ job, from, to }) => job.texts.slice(from, to));
      const lead = slices[0].job;
      try {
        const vectors = await this.direct(lead.task, texts, lead.maxActiveDims);
        let at = 0;
        for (const { job, from, to } of slices) {
          for (let i = from; i < to; i++) job.results[i] = vectors[at++];
          job.done += to - from;
        }
      } catch (error) {
        for (const { job } of slices) {
          job.failed = true;
          job.reject(error);
        }
      }
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const job = this.queue[i];
        if (job.failed) this.queue.splice(i, 1);
        else if (job.done === job.texts.length) {
          this.queue.splice(i, 1);
          job.resolve(job.results);
        }
      }
    }
  }
}

function stopped(): SpladeError {
  return new SpladeError("CANCELLED", "the server is shutting down; the text was not encoded");
}
