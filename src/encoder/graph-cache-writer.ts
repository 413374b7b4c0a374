/**
 * Writes a graph-cache entry (graph-cache.ts) off the load's critical path. onnxruntime saves an optimized
 * graph only while it creates a session, which takes about a second for a DistilBERT-base graph and blocks
 * the thread that asks; writing and flushing the 150–300 MB file takes as long again. So a first load creates
 * the session it serves from and returns, and a worker thread creates a second session from the same graph
 * to save it (staged file, flushed, renamed: graph-cache.ts commitEntry). The graph's buffers are handed over
 * (transferred, not copied): onnxruntime has copied the weights out of them by then (see graph/session.ts).
 *
 * The returned promise settles when the entry is committed or abandoned; it never rejects (a cache is best
 * effort), and no staging file outlives it.
 */
import { rmSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/worker.js";
import type { SerializedModel } from "../graph/onnx-proto.js";

/** What the worker (graph-cache-worker.ts) receives. */
export interface CacheWriteJob {
  graph: SerializedModel;
  /** Staging file (graph-cache.ts stagingPath), the entry's path, and the cache folder (for eviction). */
  staged: string;
  entryPath: string;
  dir: string;
}

function startWorker(options: { workerData: CacheWriteJob; transferList: ArrayBuffer[] }): Worker {
  return startModuleWorker(import.meta.url, "./graph-cache-worker", options);
}

/** Starts writing `job.graph` to the cache in a worker thread; the graph's buffers are moved into it. */
export function writeEntryInBackground(job: CacheWriteJob): Promise<void> {
  const buffers = new Set<ArrayBuffer>([job.graph.model.buffer as ArrayBuffer, ...job.graph.externalData.map((f) => f.data.buffer as ArrayBuffer)]);
  return new Promise((resolve) => {
    const done = () => {
      rmSync(job.staged, { force: true }); // committed entries were renamed away; anything else is dropped
      resolve();
    };
    const start = (transferList: ArrayBuffer[]) => {
      const worker = startWorker({ workerData: job, transferList });
      worker.once("error", () => {}); // an 'exit' follows
      worker.once("exit", done);
    };
    try {
      start([...buffers]);
    } catch {
      try {
        start([]); // a buffer that cannot move (a pooled Buffer's): copied instead
      } catch {
        done();
      }
    }
  });
}
