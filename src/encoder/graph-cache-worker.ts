/**
 * Worker thread of graph-cache-writer.ts: creates an onnxruntime session that saves the optimized graph to
 * the staging file, then commits it as the cache entry and keeps the folder within its size limit. Failures
 * leave no entry (the writer removes the staging file when this thread exits).
 */
import { workerData } from "node:worker_threads";
import { GraphSession } from "../graph/session.js";
import { commitEntry, evictEntries } from "./graph-cache.js";
import type { CacheWriteJob } from "./graph-cache-writer.js";

const job = workerData as CacheWriteJob;
try {
  // One thread: the session only optimizes and saves; it never runs.
  const session = await GraphSession.create(job.graph.model, { threads: 1, saveOptimized: job.staged, externalData: job.graph.externalData });
  await session.release();
  commitEntry(job.staged, { path: job.entryPath });
  evictEntries(job.dir);
} catch {
  // best effort: no entry
}
