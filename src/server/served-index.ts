/**
 * One index as the server serves it: its name (the folder's name), the current snapshot (an immutable
 * SparseIndex that searches read; replaced after every commit), the model lane that encodes its queries and
 * documents (the model its manifest records), and its write path (commit-queue.ts) under the index's writer
 * lock, which a writable served index holds for as long as it is served (index-lock.ts holdIndexLock): other
 * processes cannot write behind the server's back, and a server that is killed leaves a stale lock that the
 * next writer takes over. The lock and the transactions live on the index's writer thread (writer-worker.ts),
 * so that fsyncs never block the event loop that answers searches.
 */
import { basename, resolve } from "node:path";
import { SpladeError } from "../util/errors.js";
import { IndexReader } from "../index/index-reader.js";
import type { SparseIndex } from "../index/sparse-index.js";
import { parseModelRecord, type ModelRecord } from "../app/document-encoder.js";
import { CommitQueue, type CommitQueueOptions } from "./commit-queue.js";
import type { EncoderLane } from "./encoder-lane.js";
import { findOrdinal } from "./id-lookup.js";
import { WriterThread } from "./writer-thread.js";

export interface IndexSpec {
  /** Served under this name (default: the folder's name). */
  readonly name?: string;
  readonly dir: string;
}

export class ServedIndex {
  private current: SparseIndex;
  private readonly writer: CommitQueue | null;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly record: ModelRecord,
    readonly lane: EncoderLane,
    private readonly reader: IndexReader,
    private readonly thread: WriterThread | null,
    commits: CommitQueueOptions,
  ) {
    this.current = reader.open();
    this.writer = thread === null ? null : new CommitQueue({ writer: thread, snapshot: () => this.current, refresh: () => (this.current = this.reader.open()) }, commits);
  }

  /**
   * Opens `dir` with every checksum verified and, when writable, takes its writer lock. `laneFor` returns the
   * (shared) encoder lane for the model the index records.
   */
  static async open(spec: IndexSpec, options: { writable: boolean; commits: CommitQueueOptions; laneFor: (record: ModelRecord, dir: string) => Promise<EncoderLane> }): Promise<ServedIndex> {
    const dir = resolve(spec.dir);
    const name = spec.name ?? basename(dir);
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new SpladeError("INVALID_ARGUMENT", `index name ${JSON.stringify(name)} (${spec.dir}): use letters, digits, '.', '_' and '-' only`);
    const reader = new IndexReader(dir, { verify: true });
    const probe = reader.open();
    const record = parseModelRecord(probe.model, dir);
    const lane = await options.laneFor(record, dir);
    const thread = options.writable ? await WriterThread.start(dir) : null;
    try {
      return new ServedIndex(name, dir, record, lane, reader, thread, options.commits);
    } catch (error) {
      await thread?.close();
      throw error;
    }
  }

  get snapshot(): SparseIndex {
    return this.current;
  }

  get writable(): boolean {
    return this.writer !== null;
  }

  /** The live document `id` in the current snapshot: its ordinal, or -1. */
  ordinalOf(id: string): number {
    return findOrdinal(this.current, id);
  }

  get commits(): CommitQueue {
    if (this.writer === null) throw new SpladeError("INVALID_ARGUMENT", `index ${this.name} is served read-only`);
    return this.writer;
  }

  /** Stops writing: rolls back a transaction in progress (before its commit point) and refuses new ones. */
  abortWrites(): void {
    this.writer?.abort();
  }

  async writesIdle(): Promise<void> {
    await this.writer?.idle();
  }

  /** Releases the writer lock and stops the writer thread (after writes are idle). */
  async releaseLock(): Promise<void> {
    await this.thread?.close();
  }

  /** A human name for the model: "bm25" or the SPLADE folder / Hub id. */
  get modelName(): string {
    return this.record.kind === "bm25" ? "bm25" : this.record.model;
  }
}
