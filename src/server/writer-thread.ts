/**
 * The main thread's handle on a served index's writer thread (writer-worker.ts): transactions as promises,
 * errors rebuilt as SpladeErrors with their codes, abort, and release of the lock.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/worker.js";
import { errorData, errorFromData, SpladeError, type ErrorData } from "../util/errors.js";
import type { IndexDocument } from "../index/segment-builder.js";
import type { WriterInit, WriterReply, WriterRequest } from "./writer-worker.js";

type Pending = { resolve(reply: WriterReply): void };

function startWorker(init: WriterInit): Worker {
  return startModuleWorker(import.meta.url, "./writer-worker", { workerData: init });
}

const toError = (error: ErrorData) => errorFromData(error, "index writer");

export class WriterThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (reply: WriterReply) => {
      const entry = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      entry?.resolve(reply);
    });
    worker.on("error", (error: Error) => this.fail(new SpladeError("RUNTIME", `index writer thread failed: ${error.message}`)));
    worker.on("exit", () => this.fail(new SpladeError("RUNTIME", "index writer thread exited")));
  }

  /** Starts the thread; it takes the index's writer lock (refused if another process holds it). */
  static async start(dir: string): Promise<WriterThread> {
    const worker = startWorker({ dir });
    const ready = await new Promise<WriterReply>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (ready.error !== undefined) {
      await worker.terminate();
      throw toError(ready.error);
    }
    return new WriterThread(worker);
  }

  add(documents: IndexDocument[]): Promise<{ generation: number }> {
    return this.request((id) => ({ id, op: "add", documents }));
  }

  delete(ids: string[]): Promise<{ generation: number }> {
    return this.request((id) => ({ id, op: "delete", ids }));
  }

  mergeTail(from: number): Promise<{ generation: number }> {
    return this.request((id) => ({ id, op: "merge", from }));
  }

  /** The transaction in progress throws before its commit point; later ones are refused. */
  abort(): void {
    if (this.failure === null) this.worker.postMessage({ id: -1, op: "abort" } satisfies WriterRequest);
  }

  /** Releases the index lock (after the last transaction) and stops the thread. */
  async close(): Promise<void> {
    if (this.failure === null) await this.request((id) => ({ id, op: "release" })).catch(() => undefined);
    this.failure ??= new SpladeError("CANCELLED", "the index writer is closed");
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.values()) entry.resolve({ id: -1, error: errorData(error) });
    this.pending.clear();
  }

  private async request(make: (id: number) => WriterRequest): Promise<{ generation: number }> {
    if (this.failure !== null) throw this.failure;
    const id = this.nextId++;
    const reply = await new Promise<WriterReply>((resolve) => {
      this.pending.set(id, { resolve });
      this.worker.postMessage(make(id));
    });
    if (reply.error !== undefined) throw toError(reply.error);
    return { generation: reply.generation ?? 0 };
  }
}
