/**
 * What `splade push` reads (PushSource, push.ts), three ways:
 *  - an index built by `splade index build` (indexSource): its stored impacts (BM25 tf-norms or SPLADE
 *    weights, u8 codes dequantized), live documents only, with the model the index records and, for BM25,
 *    the index's own statistics (N and df counted over every segment, deleted documents included, as its
 *    queries use them): so an engine scores exactly what the local index scores;
 *  - a BEIR corpus and a model (corpusSource): encoded in chunks as `index build` does (app/index-corpus.ts);
 *    BM25 first tokenizes the whole corpus once for N, df and avgdl (bm25-corpus.ts);
 *  - encoded vectors from `splade encode` (vectorsSource), e.g. one shard of a corpus, with the SPLADE model
 *    that made them (recorded for queries).
 * Ordinals are positions in the source (insertion order for an index).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { SpladeError } from "../util/errors.js";
import { readJsonlObjects } from "../util/jsonl.js";
import type { SparseVector } from "../sparse/vector.js";
import { validateSparseVector } from "../sparse/validate.js";
import { SparseIndex } from "../index/sparse-index.js";
import { forwardDocuments, forwardVector } from "../index/segment-documents.js";
import { segmentDocId, segmentPayload } from "../index/segment.js";
import { isDeleted } from "../index/segment-query.js";
import { corpusText, countLines, readCorpus, type CorpusRecord } from "../app/text-files.js";
import { CORPUS_CHUNK } from "../app/index-corpus.js";
import type { DocumentEncoder } from "../app/document-encoder.js";
import type { EngineDocument } from "./engine.js";
import type { PushSource } from "./push.js";
import { FEATURE_KEY_SCHEME } from "./feature-keys.js";
import { TARGET_META_FORMAT, TARGET_META_VERSION, type Bm25Statistics, type TargetMeta } from "./target-meta.js";
import { bm25CorpusStatistics, bm25Impacts } from "./bm25-corpus.js";

function targetMeta(encoder: DocumentEncoder, bm25?: Bm25Statistics): TargetMeta {
  return {
    format: TARGET_META_FORMAT,
    version: TARGET_META_VERSION,
    model: encoder.record,
    dimension: encoder.vocabSize,
    featureKeys: FEATURE_KEY_SCHEME,
    ...(bm25 ? { bm25 } : {}),
  };
}

function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${resolve(path)}:${s.size}:${Math.trunc(s.mtimeMs)}`;
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path} not found`, { path, cause });
  }
}

/** An index directory; `encoder` is the index's model (its vocabulary keys OpenSearch features). */
export function indexSource(dir: string, index: SparseIndex, encoder: DocumentEncoder): PushSource {
  let bm25: Bm25Statistics | undefined;
  if (index.settings.weighting.kind === "bm25") {
    const documentFrequency = Array.from({ length: encoder.vocabSize }, (_, t) => index.documentFrequency(t));
    bm25 = { docCount: index.segments.reduce((n, s) => n + s.segment.docCount, 0), documentFrequency };
  }
  return {
    description: `index ${dir}`,
    fingerprint: `index:${resolve(dir)}:generation ${index.generation}:${index.docCount} documents`,
    meta: targetMeta(encoder, bm25),
    vocabulary: encoder.tokenLookup,
    total: index.docCount,
    async *documents(skip: number): AsyncGenerator<EngineDocument> {
      let position = 0;
      for (const live of index.segments) {
        const forward = forwardDocuments(live.segment);
        for (let p = 0; p < live.segment.docCount; p++) {
          if (isDeleted(live.deleted, p)) continue;
          if (position++ < skip) continue;
          const payload = segmentPayload(live.segment, p);
          const vector = forwardVector(forward, p);
          yield { id: segmentDocId(live.segment, p), ordinal: live.baseOrdinal + p, vector, ...(payload === undefined ? {} : { payload }) };
        }
      }
    },
  };
}

/** A BEIR corpus encoded with `encoder` (SPLADE, or BM25 with statistics from a first pass). */
export async function corpusSource(path: string, encoder: DocumentEncoder, options: { title?: boolean; batchSize?: number } = {}): Promise<PushSource> {
  const stamp = fileStamp(path);
  const total = await countLines(path);
  const title = options.title ?? false;
  const text = (r: CorpusRecord) => corpusText(r, title);
  const bm25 = encoder.kind === "bm25" ? await bm25CorpusStatistics(path, encoder, { title }) : undefined;
  return {
    description: `corpus ${path}`,
    fingerprint: `corpus:${stamp}:title ${title}:${JSON.stringify(encoder.record)}`,
    meta: targetMeta(encoder, bm25?.statistics),
    vocabulary: encoder.tokenLookup,
    total,
    async *documents(skip: number): AsyncGenerator<EngineDocument> {
      let position = 0;
      let chunk: Array<{ record: CorpusRecord; ordinal: number }> = [];
      async function* encodeChunk(): AsyncGenerator<EngineDocument> {
        const vectors = await encoder.encodeDocuments(chunk.map((c) => text(c.record)), { batchSize: options.batchSize });
        for (let i = 0; i < chunk.length; i++) {
          const { record, ordinal } = chunk[i];
          const vector = bm25 ? bm25Impacts(vectors[i], bm25.normInverse) : vectors[i];
          yield { id: record.id, ordinal, vector, payload: record.title === "" ? { text: record.text } : { title: record.title, text: record.text } };
        }
        chunk = [];
      }
      for await (const record of readCorpus(path)) {
        const ordinal = position++;
        if (ordinal < skip) continue;
        chunk.push({ record, ordinal });
        if (chunk.length === CORPUS_CHUNK) yield* encodeChunk();
      }
      if (chunk.length > 0) yield* encodeChunk();
    },
  };
}

function vectorOf(record: Record<string, unknown>, where: string, dimension: number): SparseVector {
  const { indices, values } = record;
  if (!Array.isArray(indices) || !Array.isArray(values)) throw new SpladeError("INVALID_FILE", `${where}: expected "indices" and "values" arrays (the output of splade encode)`);
  if (indices.some((i) => !Number.isInteger(i) || i < 0) || values.some((v) => typeof v !== "number")) {
    throw new SpladeError("INVALID_FILE", `${where}: "indices" must be non-negative integers and "values" numbers`);
  }
  const vector = { indices: Uint32Array.from(indices as number[]), values: Float32Array.from(values as number[]) };
  try {
    validateSparseVector(vector, { dimension, nonNegative: true, label: where });
  } catch (error) {
    throw new SpladeError("INVALID_FILE", (error as Error).message, { cause: error });
  }
  return vector;
}

/** Vectors written by `splade encode` ({"id", "indices", "values"} per line) of the SPLADE model `encoder`. */
export async function vectorsSource(path: string, encoder: DocumentEncoder): Promise<PushSource> {
  if (encoder.kind === "bm25") {
    throw new SpladeError("INVALID_ARGUMENT", "BM25 weights depend on the whole collection: push BM25 with --corpus or --index, not --vectors");
  }
  const stamp = fileStamp(path);
  return {
    description: `vectors ${path}`,
    fingerprint: `vectors:${stamp}:${JSON.stringify(encoder.record)}`,
    meta: targetMeta(encoder),
    vocabulary: encoder.tokenLookup,
    total: await countLines(path),
    async *documents(skip: number): AsyncGenerator<EngineDocument> {
      let ordinal = 0;
      for await (const { record, where } of readJsonlObjects(path)) {
        const position = ordinal++;
        if (position < skip) continue;
        const id = record.id ?? record._id;
        if (typeof id !== "string" || id === "") throw new SpladeError("INVALID_FILE", `${where}: no "id" (encode a JSONL corpus with _id fields)`, { path });
        yield { id, ordinal: position, vector: vectorOf(record, where, encoder.vocabSize) };
      }
    },
  };
}
