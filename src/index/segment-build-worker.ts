/**
 * Worker thread of segment-build-thread.ts: builds one segment from collected documents (the buffers arrive
 * transferred, not copied) — BM25 impacts, reordering, block layout, approximate structures — and writes its
 * file atomically (index-files.ts), then answers with the manifest entry. One segment at a time.
 */
import { parentPort } from "node:worker_threads";
import { buildSegment, type CollectedDocuments, type SegmentBuilderOptions } from "./segment-builder.js";
import { writeSegment } from "./index-files.js";
import type { ManifestSegment } from "./manifest.js";

export interface BuildRequest {
  readonly dir: string;
  readonly file: string;
  readonly options: SegmentBuilderOptions;
  readonly documents: CollectedDocuments;
  readonly avgDocLength: number;
}

export interface BuildReply {
  readonly entry?: ManifestSegment;
  readonly error?: { message: string; code?: string; path?: string };
}

parentPort!.on("message", (request: BuildRequest) => {
  try {
    const segment = buildSegment(request.options, request.documents, { avgDocLength: request.avgDocLength });
    parentPort!.postMessage({ entry: writeSegment(request.dir, request.file, segment) } satisfies BuildReply);
  } catch (error) {
    const e = error as Error & { code?: string; path?: string };
    parentPort!.postMessage({ error: { message: e.message, code: e.code, path: e.path } } satisfies BuildReply);
  }
});
