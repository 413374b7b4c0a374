/**
 * Builds and writes segments on a worker thread (segment-build-worker.ts) while the caller collects the next
 * one: reordering a ~1.1M-document segment takes longer than collecting it, so a writer that flushes several
 * segments otherwise leaves the second core idle (issue #13: the 8.8M build was ~32–40 s collecting, then ~90 s
 * building, per segment, one after the other). One segment is in flight at a time: the caller awaits its result
 * before handing over the next, so at most two segments' documents are in memory.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/worker.js";
import { errorFromData } from "../util/errors.js";
import type { CollectedDocuments, SegmentBuilderOptions } from "./segment-builder.js";
import type { ManifestSegment } from "./manifest.js";
import type { BuildReply, BuildRequest } from "./segment-build-worker.js";

function transferList(documents: CollectedDocuments): ArrayBuffer[] {
  const arrays = Object.values(documents).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v));
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

export class SegmentBuildThread {
  private worker: Worker | null = null;
  private pending: Promise<BuildReply> | null = null;

  /** Starts building `documents` into `dir/file`; resolves with its manifest entry. One at a time. */
  build(dir: string, file: string, options: SegmentBuilderOptions, documents: CollectedDocuments, avgDocLength: number): Promise<ManifestSegment> {
    if (this.pending !== null) throw new Error("SegmentBuildThread: a segment is already in flight");
    const worker = (this.worker ??= startModuleWorker(import.meta.url, "./segment-build-worker"));
    const reply = new Promise<BuildReply>((resolve) => {
      const onMessage = (r: BuildReply) => done(r);
      const onError = (error: Error) => done({ error: { message: `segment build thread: ${error.message}`, code: "RUNTIME" } });
      const onExit = (code: number) => done({ error: { message: `segment build thread exited (code ${code})`, code: "RUNTIME" } });
      const done = (r: BuildReply) => {
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        resolve(r);
      };
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    });
    this.pending = reply;
    const request: BuildRequest = { dir, file, options, documents, avgDocLength };
    worker.postMessage(request, transferList(documents));
    return reply.then((r) => {
      this.pending = null;
      if (r.error !== undefined) throw errorFromData(r.error, "segment build thread");
      return r.entry!;
    });
  }

  /** Stops the thread (after the segment in flight, if any, has been written or abandoned). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }
}
