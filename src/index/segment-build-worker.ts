/**
 * Worker thread of segment-build-thread.ts: builds one segment from collected documents (the buffers arrive
 * transferred, not copied) — BM25 impacts, reordering, block layout, approximate structures — and writes its
 * file atomically (index-files.ts), then answers with the manifest entry. One segment at a time.
 */
import { parentPort } from "node:worker_threads";
import { buildSegment, type CollectedDocuments, type SegmentBuilderOptions } from "./segment-builder.js";
import { writeSegment } from "./index-files.js";
import type { ManifestSegment } from "./manifest.js";
import { errorData, type ErrorData } from "../util/errors.js";

export interface BuildRequest {
  readonly dir: string;
  readonly file: string;
  readonly options: SegmentBuilderOptions;
  readonly documents: CollectedDocuments;
  readonly avgDocLength: number;
}

export interface BuildReply {
  readonly entry?: ManifestSegment;
  readonly error?: ErrorData;
}

parentPort!.on("message", (request: BuildRequest) => {
  try {
    const segment = buildSegment(request.options, request.documents, { avgDocLength: request.avgDocLength });
    parentPort!.postMessage({ entry: writeSegment(request.dir, request.file, segment) } satisfies BuildReply);
  } catch (error) {
    parentPort!.postMessage({ error: errorData(error) } satisfies BuildReply);
  }
});
