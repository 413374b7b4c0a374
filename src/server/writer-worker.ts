/**
 * The writer thread of a served index (writer-thread.ts is its other side). It holds the index's writer lock
 * for as long as the index is served and applies transactions through index/index-writer.ts. Commits fsync
 * (about 10 ms per file on the project's VM); on this thread they never stall the server's event loop, so
 * searches keep being answered while a write becomes durable. Documents are streamed into the writer with a
 * pause every few hundred, when an `abort` message can land: the transaction then throws before its commit
 * point and nothing of it is published.
 */
import { parentPort, workerData } from "node:worker_threads";
import { setImmediate as nextTurn } from "node:timers/promises";
import { errorData, SpladeError, type ErrorData } from "../util/errors.js";
import { holdIndexLock } from "../index/index-lock.js";
import { addDocuments, deleteDocuments, mergeTail } from "../index/index-writer.js";
import type { IndexDocument } from "../index/segment-builder.js";

export interface WriterInit {
  readonly dir: string;
}

export type WriterRequest =
  | { readonly id: number; readonly op: "add"; readonly documents: IndexDocument[] }
  | { readonly id: number; readonly op: "delete"; readonly ids: string[] }
  | { readonly id: number; readonly op: "merge"; readonly from: number }
  | { readonly id: number; readonly op: "release" }
  | { readonly id: -1; readonly op: "abort" };

export interface WriterReply {
  readonly id: number;
  readonly generation?: number;
  readonly error?: ErrorData;
}

/** Documents between two pauses (where an abort is noticed). */
const PAUSE_EVERY = 256;

const { dir } = workerData as WriterInit;
const port = parentPort!;
let aborted = false;

const cancelled = () => new SpladeError("CANCELLED", "the server is shutting down; the write was not applied");

async function* feed(documents: readonly IndexDocument[]): AsyncGenerator<IndexDocument> {
  for (let i = 0; i < documents.length; i++) {
    if (i > 0 && i % PAUSE_EVERY === 0) await nextTurn();
    if (aborted) throw cancelled();
    yield documents[i];
  }
}

function fail(id: number, error: unknown): void {
  port.postMessage({ id, error: errorData(error) } satisfies WriterReply);
}

let lock: ReturnType<typeof holdIndexLock>;
try {
  lock = holdIndexLock(dir);
  port.postMessage({ id: 0 } satisfies WriterReply);
} catch (error) {
  fail(0, error);
}

// One message at a time: transactions of one index never overlap.
let chain: Promise<void> = Promise.resolve();
port.on("message", (request: WriterRequest) => {
  if (request.op === "abort") {
    aborted = true;
    return;
  }
  chain = chain.then(async () => {
    try {
      if (request.op === "release") {
        lock.release();
        port.postMessage({ id: request.id } satisfies WriterReply);
        return;
      }
      if (aborted) throw cancelled();
      const result =
        request.op === "add" ? await addDocuments(dir, feed(request.documents)) : request.op === "delete" ? await deleteDocuments(dir, request.ids) : await mergeTail(dir, request.from);
      port.postMessage({ id: request.id, generation: result.generation } satisfies WriterReply);
    } catch (error) {
      fail(request.id, error);
    }
  });
});
