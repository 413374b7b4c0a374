/**
 * Query-level parallelism: a pool of worker threads (search-worker.ts) that share one index's segments
 * through SharedArrayBuffer (no copies) and answer batches of queries; each worker takes chunks of queries
 * from a queue, so throughput scales with threads. Results equal SparseIndex.search exactly (same code).
 * Intra-query parallelism (searchSplit): one query's segments are split across the workers, for latency on
 * indexes of several segments; the k best of the workers' lists are the answer, still exactly the same.
 * An index opened with `{ shared: true }` is shared as is; otherwise its arrays are copied once into shared
 * memory.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/worker.js";
import { availableParallelism } from "node:os";
import { errorData, errorFromData, SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import type { SparseIndex } from "./sparse-index.js";
import type { Segment } from "./segment.js";
import { TopK, type ScoredOrdinal } from "./top-k.js";
import { resolveApproximateSearch, searchSegments, type SearchAlgorithm } from "./search.js";
import { SearchScratch } from "./segment-query.js";
import { sharedFloors } from "./shared-floor.js";
import type { ApproximateSearchOptions } from "./approximate-search.js";
import { INDEX_DEFAULTS } from "./defaults.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./search-worker.js";

/** Queries per message: large enough to amortize messaging, small enough to balance the threads. */
const CHUNK = 8;
/** Split queries in flight at once whose threads share a threshold (more are still exact, only unshared). */
const SPLIT_QUERIES_SHARED = 256;

function shared<T extends ArrayBufferView | null>(array: T): T {
  if (array === null || array.buffer instanceof SharedArrayBuffer) return array;
  const ctor = array.constructor as new (buffer: SharedArrayBuffer) => ArrayBufferView;
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy = new ctor(buffer);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return copy as T;
}

/** The segment with every array in shared memory (copied once unless it already is). */
export function shareSegment(segment: Segment): Segment {
  const share = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? shared(v) : v])) as T;
  return {
    ...share(segment),
    bm25: segment.bm25 ? share(segment.bm25) : null,
    approximate: segment.approximate ? share(segment.approximate) : null,
  };
}

function startWorker(init: WorkerInit): Worker {
  return startModuleWorker(import.meta.url, "./search-worker", { workerData: init });
}

export class SearchPool {
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void }>();
  private nextId = 0;
  private failure: SpladeError | null = null;
  private closed = false;
  private readonly scratch = new SearchScratch();
  /** Pairs of cells (heap, pool: shared-floor.ts) for split queries in flight; their first cells when free. */
  private readonly freeFloors = Array.from({ length: SPLIT_QUERIES_SHARED }, (_, i) => 2 * (SPLIT_QUERIES_SHARED - 1 - i));

  private constructor(
    private readonly index: SparseIndex,
    private readonly workers: Worker[],
    private readonly floors: Int32Array,
  ) {
    for (const worker of workers) {
      worker.on("message", (reply: WorkerReply) => {
        if (reply.id < 0) return;
        const entry = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        entry?.resolve(reply);
      });
      worker.on("error", (error: Error) => this.fail(`a search worker failed: ${error.message}`));
      worker.on("exit", () => this.closed || this.fail("a search worker exited"));
    }
  }

  /**
   * A worker that died leaves the pool unable to answer (its part of a split query, its share of a batch): every
   * request in flight and every later one is refused with RUNTIME instead of waiting forever.
   */
  private fail(message: string): void {
    this.failure ??= new SpladeError("RUNTIME", `${message}; the search pool cannot search any more`);
    for (const [id, entry] of this.pending) entry.resolve({ id, error: errorData(this.failure) });
    this.pending.clear();
  }

  static async create(index: SparseIndex, options: { threads?: number } = {}): Promise<SearchPool> {
    const threads = options.threads ?? Math.min(availableParallelism(), 8);
    const init: WorkerInit = {
      segments: index.segments.map((s) => ({ segment: shareSegment(s.segment), deleted: shared(s.deleted), baseOrdinal: s.baseOrdinal })),
      floors: new Int32Array(new SharedArrayBuffer(4 * 2 * SPLIT_QUERIES_SHARED)),
    };
    const workers = Array.from({ length: threads }, () => startWorker(init));
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once("message", () => resolve());
      w.once("error", reject);
    })));
    return new SearchPool(index, workers, init.floors);
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Top-k (ordinal, score) for each query, in query order: exact, or approximate when asked (search.ts). */
  async search(queries: readonly SparseVector[], options: { k?: number; algorithm?: SearchAlgorithm; approximate?: boolean | Partial<ApproximateSearchOptions> } = {}): Promise<ScoredOrdinal[][]> {
    const weighted = queries.map((q) => this.index.queryVector(q));
    const results: ScoredOrdinal[][] = new Array(queries.length);
    let next = 0;
    const k = options.k ?? INDEX_DEFAULTS.k;
    const algorithm = options.algorithm ?? "bmp";
    const approximate = resolveApproximateSearch(options.approximate) ?? undefined;
    const run = async (worker: Worker): Promise<void> => {
      while (next < weighted.length) {
        const start = next;
        next = Math.min(weighted.length, next + CHUNK);
        const reply = await this.ask(worker, { queries: weighted.slice(start, next), k, algorithm, approximate });
        reply.results!.forEach((r, i) => {
          results[start + i] = Array.from(r.ordinals, (ordinal, j) => ({ ordinal, score: r.scores[j] }));
        });
      }
    };
    await Promise.all(this.workers.map(run));
    return results;
  }

  /**
   * One query, its segments split across the threads (part p searches segments p, p + parts, …): each returns
   * its segments' top-k and the k best of those, by score then ordinal, are the index's top-k. The threads share
   * their k-th scores as they rise (shared-floor.ts), so that each prunes as one thread over all segments would
   * (`shareThreshold: false` turns that off, to measure it). Exact search stays equal to brute force;
   * approximate search returns exact scores of the candidates found (each part rescores its own candidates, so
   * recall at given knobs is higher than one thread's). With `caller`, the calling thread searches one part
   * itself (synchronously, between sending the other parts and awaiting them), which saves a message round trip
   * (~30 µs measured) but blocks its event loop meanwhile; otherwise the pool's workers search every part.
   * With one segment it is one thread's search.
   */
  async searchSplit(query: SparseVector, options: { k?: number; algorithm?: SearchAlgorithm; approximate?: boolean | Partial<ApproximateSearchOptions>; caller?: boolean; shareThreshold?: boolean } = {}): Promise<ScoredOrdinal[]> {
    const weighted = this.index.queryVector(query);
    const k = options.k ?? INDEX_DEFAULTS.k;
    const algorithm = options.algorithm ?? "bmp";
    const approximate = resolveApproximateSearch(options.approximate) ?? undefined;
    const S = this.index.segments.length;
    const onCaller = options.caller === true ? 1 : 0;
    const parts = Math.max(1, Math.min(this.workers.length + onCaller, S));
    const partSegments = (w: number) => {
      const segments: number[] = [];
      for (let s = w; s < S; s += parts) segments.push(s);
      return segments;
    };
    const floor = parts > 1 && options.shareThreshold !== false ? this.acquireFloors() : undefined;
    const pending = this.workers.slice(0, parts - onCaller).map((worker, w) => this.ask(worker, { queries: [weighted], k, algorithm, approximate, segments: partSegments(w + onCaller), floor }));
    let own: ScoredOrdinal[] = [];
    let failure: { error: unknown } | null = null;
    if (onCaller === 1) {
      try {
        const shared = floor === undefined ? undefined : sharedFloors(this.floors, floor);
        own = searchSegments(partSegments(0).map((s) => this.index.segments[s]), weighted, { k, algorithm, approximate, scratch: this.scratch, shared });
      } catch (error) {
        failure = { error };
      }
    }
    // Every part must be over before the cells go back: a late publish would raise another query's floor.
    const settled = await Promise.allSettled(pending);
    if (floor !== undefined) this.releaseFloors(floor);
    if (failure !== null) throw failure.error;
    const best = new TopK(k);
    for (const hit of own) best.offer(hit.score, hit.ordinal);
    for (const outcome of settled) {
      if (outcome.status === "rejected") throw outcome.reason;
      const { ordinals, scores } = outcome.value.results![0];
      for (let i = 0; i < ordinals.length; i++) best.offer(scores[i], ordinals[i]);
    }
    return best.sorted();
  }

  /** A free pair of shared-floor cells, zeroed; undefined (nothing shared) when every pair is in use. */
  private acquireFloors(): number | undefined {
    const first = this.freeFloors.pop();
    if (first === undefined) return undefined;
    Atomics.store(this.floors, first, 0);
    Atomics.store(this.floors, first + 1, 0);
    return first;
  }

  private releaseFloors(first: number): void {
    this.freeFloors.push(first);
  }

  private async ask(worker: Worker, request: Omit<WorkerRequest, "id">): Promise<WorkerReply> {
    if (this.closed) throw new SpladeError("INVALID_ARGUMENT", "the search pool is closed");
    if (this.failure !== null) throw this.failure;
    const id = this.nextId++;
    const reply = await new Promise<WorkerReply>((resolve) => {
      this.pending.set(id, { resolve });
      worker.postMessage({ id, ...request } satisfies WorkerRequest);
    });
    if (reply.error) throw errorFromData(reply.error, "search worker");
    return reply;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
