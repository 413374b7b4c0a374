/**
 * A hard-negative Retriever (mine-negatives.ts) over an index written by `splade index build`: queries are
 * encoded with the model the index records (BM25 or SPLADE) and searched exactly; candidate texts come from
 * the stored payloads ({text} or {title, text}), joined as "title text" when `title` is set, the way BEIR
 * corpora are encoded with --title, so that positives given as text are recognised and excluded.
 */
import { SpladeError } from "../util/errors.js";
import { SparseIndex } from "../index/sparse-index.js";
import { parseModelRecord } from "./document-encoder.js";
import { encoderFromRecord, type EncoderOptions } from "./encoders.js";
import type { Retriever } from "./mine-negatives.js";

function payloadText(payload: unknown, title: boolean, where: string): string {
  const p = payload as { title?: unknown; text?: unknown } | null;
  if (p === null || typeof p !== "object" || typeof p.text !== "string") {
    throw new SpladeError("INVALID_FILE", `${where}: documents have no stored text; rebuild the index with \`splade index build\` to mine negatives from it`);
  }
  return title && typeof p.title === "string" && p.title !== "" ? `${p.title} ${p.text}` : p.text;
}

/** Opens the index at `dir` as a Retriever; `release()` frees its query encoder. */
export async function openIndexRetriever(dir: string, options: { title: boolean; encoder?: EncoderOptions; batchSize?: number }): Promise<Retriever & { release(): Promise<void> }> {
  const index = await SparseIndex.open(dir);
  const total = index.segments.reduce((n, s) => n + s.segment.docCount, 0);
  const corpus = Array.from({ length: total }, (_, ordinal) => payloadText(index.document(ordinal).payload, options.title, dir));
  const encoder = await encoderFromRecord(parseModelRecord(index.model, dir), options.encoder);
  return {
    corpus,
    async search(queries, k) {
      const vectors = await encoder.encodeQueries(queries, { batchSize: options.batchSize });
      return vectors.map((v) => index.searchOrdinals(v, { k }).map((h) => h.ordinal));
    },
    release: () => encoder.release(),
  };
}
