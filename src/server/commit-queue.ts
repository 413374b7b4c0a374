/**
 * The write path of a served index: requests are queued and applied one transaction at a time by the
 * index's writer thread (writer-worker.ts), through the same atomic functions as `splade index add|delete`
 * (index/index-writer.ts: new files fsynced, then the manifest replaced atomically); a request is answered
 * only after its transaction committed. Requests that queue up while a transaction runs are committed
 * together (group commit: one segment and one round of fsyncs for many small writes), in arrival order, adds
 * and deletes in separate consecutive transactions. After each commit the reader snapshot is refreshed before
 * the requests are answered, so a client that got its answer finds its write in every later search; searches
 * that started before see the previous snapshot, never part of a batch. After commits, the merge policy
 * (merge-policy.ts) may merge the newest small segments.
 *
 * Shutdown: abort() makes a transaction in progress throw before its commit point (its files are never
 * referenced, and the next writer removes them) and refuses the jobs still waiting. Nothing acknowledged is
 * ever undone.
 */
import { SpladeError } from "../util/errors.js";
import type { IndexDocument } from "../index/segment-builder.js";
import type { SparseIndex } from "../index/sparse-index.js";
import { ApiError } from "./errors.js";
import { findOrdinal } from "./id-lookup.js";
import { tailToMerge } from "./merge-policy.js";
import { countDeleted } from "../index/deletes-file.js";

export interface CommitResult {
  readonly generation: number;
}

type Job =
  | { readonly kind: "add"; readonly documents: readonly IndexDocument[]; resolve(r: CommitResult): void; reject(e: unknown): void }
  | { readonly kind: "delete"; readonly id: string; resolve(r: CommitResult): void; reject(e: unknown): void };

/** Applies transactions (writer-thread.ts in the server; anything with the same contract in tests). */
export interface IndexWriter {
  add(documents: IndexDocument[]): Promise<{ generation: number }>;
  delete(ids: string[]): Promise<{ generation: number }>;
  mergeTail(from: number): Promise<{ generation: number }>;
  abort(): void;
}

export interface CommitTarget {
  readonly writer: IndexWriter;
  /** The snapshot writes are validated against (this queue is the index's only writer). */
  snapshot(): SparseIndex;
  /** Re-reads the published index after a commit. */
  refresh(): void;
}

export interface CommitQueueOptions {
  readonly maxCommitDocuments: number;
  readonly mergeFactor: number;
  readonly onCommit?: (kind: "add" | "delete" | "merge", documents: number, seconds: number) => void;
}

export class CommitQueue {
  private readonly queue: Job[] = [];
  private running: Promise<void> | null = null;
  private aborted = false;

  constructor(
    private readonly target: CommitTarget,
    private readonly options: CommitQueueOptions,
  ) {}

  add(documents: readonly IndexDocument[]): Promise<CommitResult> {
    return new Promise((resolve, reject) => this.enqueue({ kind: "add", documents, resolve, reject }));
  }

  delete(id: string): Promise<CommitResult> {
    return new Promise((resolve, reject) => this.enqueue({ kind: "delete", id, resolve, reject }));
  }

  /** Rolls back the transaction in progress (unless past its commit point) and refuses waiting and new jobs. */
  abort(): void {
    this.aborted = true;
    this.target.writer.abort();
  }

  /** Resolves when no transaction runs. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private enqueue(job: Job): void {
    if (this.aborted) {
      job.reject(shuttingDown());
      return;
    }
    this.queue.push(job);
    if (this.running === null) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.aborted) {
        for (const job of this.queue.splice(0)) job.reject(shuttingDown());
        return;
      }
      const kind = this.queue[0].kind;
      const jobs: Job[] = [];
      let documents = 0;
      while (this.queue.length > 0 && this.queue[0].kind === kind && (jobs.length === 0 || documents < this.options.maxCommitDocuments)) {
        const job = this.queue.shift()!;
        jobs.push(job);
        documents += job.kind === "add" ? job.documents.length : 1;
      }
      if (kind === "add") await this.commitAdds(jobs as Array<Extract<Job, { kind: "add" }>>);
      else await this.commitDeletes(jobs as Array<Extract<Job, { kind: "delete" }>>);
      await this.maybeMerge();
    }
  }

  private async commitAdds(jobs: Array<Extract<Job, { kind: "add" }>>): Promise<void> {
    const snapshot = this.target.snapshot();
    const taken = new Set<string>();
    const accepted: typeof jobs = [];
    for (const job of jobs) {
      const clash = job.documents.find((d) => taken.has(d.id) || findOrdinal(snapshot, d.id) >= 0);
      if (clash !== undefined) {
        job.reject(new ApiError("CONFLICT", `documents: id ${JSON.stringify(clash.id)} is already in the index (delete it first)`));
        continue;
      }
      for (const d of job.documents) taken.add(d.id);
      accepted.push(job);
    }
    if (accepted.length === 0) return;
    const started = performance.now();
    const count = accepted.reduce((n, j) => n + j.documents.length, 0);
    await this.transaction(accepted, () => this.target.writer.add(accepted.flatMap((j) => j.documents)));
    this.options.onCommit?.("add", count, (performance.now() - started) / 1000);
  }

  private async commitDeletes(jobs: Array<Extract<Job, { kind: "delete" }>>): Promise<void> {
    const snapshot = this.target.snapshot();
    const ids = new Set<string>();
    const accepted: typeof jobs = [];
    for (const job of jobs) {
      if (ids.has(job.id) || findOrdinal(snapshot, job.id) < 0) {
        job.reject(new ApiError("NOT_FOUND", `no document with id ${JSON.stringify(job.id)} in the index`));
        continue;
      }
      ids.add(job.id);
      accepted.push(job);
    }
    if (accepted.length === 0) return;
    const started = performance.now();
    await this.transaction(accepted, () => this.target.writer.delete([...ids]));
    this.options.onCommit?.("delete", accepted.length, (performance.now() - started) / 1000);
  }

  /** Runs one transaction; its jobs are answered after the snapshot shows the result (or with its error). */
  private async transaction(jobs: ReadonlyArray<{ resolve(r: CommitResult): void; reject(e: unknown): void }>, write: () => Promise<{ generation: number }>): Promise<void> {
    let result: { generation: number };
    try {
      result = await write();
    } catch (error) {
      this.refreshQuietly();
      for (const job of jobs) job.reject(error);
      return;
    }
    this.refreshQuietly();
    for (const job of jobs) job.resolve({ generation: result.generation });
  }

  private refreshQuietly(): void {
    try {
      this.target.refresh();
    } catch {
      // The previous snapshot stays in service; the next commit refreshes again.
    }
  }

  private async maybeMerge(): Promise<void> {
    for (;;) {
      if (this.aborted) return;
      const snapshot = this.target.snapshot();
      const live = snapshot.segments.map(({ segment, deleted }) => segment.docCount - (deleted ? countDeleted(deleted) : 0));
      const from = tailToMerge(live, this.options.mergeFactor);
      if (from < 0) return;
      const started = performance.now();
      try {
        await this.target.writer.mergeTail(from);
      } catch {
        this.refreshQuietly();
        return;
      }
      this.refreshQuietly();
      this.options.onCommit?.("merge", live.slice(from).reduce((a, b) => a + b, 0), (performance.now() - started) / 1000);
    }
  }
}

function shuttingDown(): SpladeError {
  return new SpladeError("CANCELLED", "the server is shutting down; the write was not applied");
}
