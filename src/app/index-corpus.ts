/**
 * Use-cases behind `splade index build|add`: stream a BEIR corpus, encode it in batches with a
 * DocumentEncoder and write it into an index (index/index-writer.ts). Each document keeps {title, text} as
 * its payload, so search results can show them. The encoder's record is stored in the manifest so that
 * `add` and `search` use the same model.
 */
import type { SparseVector } from "../sparse/vector.js";
import type { IndexDocument } from "../index/segment-builder.js";
import type { IndexSettings } from "../index/manifest.js";
import { readManifest } from "../index/manifest.js";
import { addDocuments, createIndex, type WriteResult } from "../index/index-writer.js";
import { corpusText, countLines, readCorpus, type CorpusRecord } from "./text-files.js";
import { parseModelRecord, type DocumentEncoder } from "./document-encoder.js";
import { encoderFromRecord, type EncoderOptions } from "./encoders.js";

/** Texts per encoding batch (sentence-transformers' default batch_size=32 would underfeed BM25; the SPLADE
 * encoder batches internally with its own size, see `batchSize`). */
export const CORPUS_CHUNK = 256;

export interface IndexCorpusOptions {
  /** Encode title + " " + text (BEIR convention). */
  readonly title?: boolean;
  /** Encoder batch size (SPLADE). */
  readonly batchSize?: number;
  /** Progress in documents: done of total (total counted up front). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BuildCorpusOptions extends IndexCorpusOptions {
  readonly settings?: Partial<IndexSettings>;
  readonly overwrite?: boolean;
}

async function* encodedDocuments(path: string, encoder: DocumentEncoder, options: IndexCorpusOptions, total: number): AsyncGenerator<IndexDocument> {
  let chunk: CorpusRecord[] = [];
  let done = 0;
  async function* flush(): AsyncGenerator<IndexDocument> {
    const vectors: SparseVector[] = await encoder.encodeDocuments(chunk.map((r) => corpusText(r, options.title ?? false)), { batchSize: options.batchSize });
    for (let i = 0; i < chunk.length; i++) {
      const { id, title, text } = chunk[i];
      yield { id, vector: vectors[i], payload: title === "" ? { text } : { title, text } };
    }
    done += chunk.length;
    options.onProgress?.(done, total);
    chunk = [];
  }
  for await (const record of readCorpus(path)) {
    chunk.push(record);
    if (chunk.length === CORPUS_CHUNK) yield* flush();
  }
  if (chunk.length > 0) yield* flush();
}

/** Builds an index in `out` from a BEIR corpus file. */
export async function buildIndexFromCorpus(corpusPath: string, out: string, encoder: DocumentEncoder, options: BuildCorpusOptions = {}): Promise<WriteResult> {
  const total = await countLines(corpusPath);
  return createIndex(out, encodedDocuments(corpusPath, encoder, options, total), {
    settings: { ...options.settings, ...encoder.indexSettings },
    model: encoder.record,
    overwrite: options.overwrite,
  });
}

/** Adds a BEIR corpus file to an existing index, encoding with the model the index records. */
export async function addCorpusToIndex(corpusPath: string, dir: string, options: IndexCorpusOptions & { encoder?: EncoderOptions } = {}): Promise<WriteResult> {
  const record = parseModelRecord(readManifest(dir).model, dir);
  const encoder = await encoderFromRecord(record, options.encoder);
  try {
    const total = await countLines(corpusPath);
    return await addDocuments(dir, encodedDocuments(corpusPath, encoder, options, total));
  } finally {
    await encoder.release();
  }
}
