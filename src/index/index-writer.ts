/**
 * The write side: build, add, delete, merge. Every operation is a transaction on the directory:
 *  1. take the writer lock (index-lock.ts);
 *  2. write every new file (segments, deletion bitmaps) atomically under a new, unused name;
 *  3. publish by replacing `index.json` atomically (manifest.ts) — the commit point;
 *  4. remove files the new manifest no longer references.
 * A writer killed at any moment therefore leaves the previous manifest and every file it references intact
 * (tested by killing a child process mid-write); leftovers are removed by the next writer.
 *
 * BM25 collection statistics: see bm25.ts (idf at query time; avgdl per segment, recomputed on merge).
 */
import { SpladeError } from "../util/errors.js";
import { INDEX_DEFAULTS } from "./defaults.js";
import { bm25AvgDocLength } from "./bm25.js";
import { resolveSettings } from "./settings.js";
import { SegmentBuilder, type IndexDocument } from "./segment-builder.js";
import { SegmentBuildThread } from "./segment-build-thread.js";
import { hasManifest, readManifest, writeManifest, type IndexSettings, type Manifest, type ManifestSegment } from "./manifest.js";
import { withIndexLock } from "./index-lock.js";
import { deletesFileName, forEachDocumentId, readDeletes, removeUnreferencedFiles, segmentFileName, writeDeletes, writeSegment } from "./index-files.js";
import { SparseIndex } from "./sparse-index.js";
import { forwardDocuments, forwardVector } from "./segment-documents.js";
import { segmentDocId, segmentPayload } from "./segment.js";
import { isDeleted } from "./segment-query.js";
import { readSegmentFile } from "./segment-file.js";
import { join } from "node:path";

export interface WriteProgress {
  readonly phase: "index" | "write";
  /** Documents taken so far. */
  readonly done: number;
}

export interface WriteOptions {
  /** Flush a segment once it holds this many postings (defaults.ts). */
  readonly maxSegmentPostings?: number;
  readonly onProgress?: (progress: WriteProgress) => void;
  /**
   * Build and write each segment filled mid-stream on a worker thread while the next is collected (default
   * true; segment-build-thread.ts). False builds every segment on the calling thread, one after the other.
   */
  readonly backgroundBuild?: boolean;
}

export interface CreateOptions extends WriteOptions {
  readonly settings?: Partial<IndexSettings>;
  /** What the application records about the model (opaque JSON), e.g. {"kind": "bm25"}. */
  readonly model?: unknown;
  /** Replace an existing index in the directory (atomically, like every write). */
  readonly overwrite?: boolean;
}

export interface WriteResult {
  readonly generation: number;
  readonly addedCount: number;
  readonly segmentCount: number;
}

type Documents = Iterable<IndexDocument> | AsyncIterable<IndexDocument>;

/**
 * Streams documents into new segment files; returns their manifest entries. A segment filled mid-stream is
 * built and written on a worker thread (segment-build-thread.ts) while the next one is collected; the last one
 * is built here, beside the thread's. Entries keep the segments' stream order either way.
 */
async function writeNewSegments(dir: string, generation: number, settings: IndexSettings, existing: readonly ManifestSegment[], documents: Documents, taken: Set<string>, options: WriteOptions): Promise<ManifestSegment[]> {
  const maxPostings = options.maxSegmentPostings ?? INDEX_DEFAULTS.maxSegmentPostings;
  const background = options.backgroundBuild ?? true;
  const written: Array<ManifestSegment | Promise<ManifestSegment>> = [];
  const thread = new SegmentBuildThread();
  let docCount = existing.reduce((n, s) => n + s.docCount, 0);
  let sumDocLength = existing.reduce((n, s) => n + s.sumDocLength, 0);
  let done = 0;
  let builder = new SegmentBuilder(settings);
  let inFlight: Promise<ManifestSegment> | null = null;
  const flush = async (last: boolean) => {
    if (builder.docCount === 0) return;
    const full = builder;
    builder = new SegmentBuilder(settings);
    const avgDocLength = bm25AvgDocLength(sumDocLength + full.sumDocLength, docCount + full.docCount);
    docCount += full.docCount;
    sumDocLength += full.sumDocLength;
    options.onProgress?.({ phase: "write", done });
    const file = segmentFileName(generation, written.length + 1);
    const context = { avgDocLength: avgDocLength > 0 ? avgDocLength : 1 };
    if (last || !background) {
      written.push(writeSegment(dir, file, full.build(context)));
      return;
    }
    if (inFlight !== null) await inFlight; // one segment in flight at a time; throws its build's error, if any
    inFlight = thread.build(dir, file, full.options, full.collected(), context.avgDocLength);
    inFlight.catch(() => {}); // awaited at the next flush or below; this keeps a failure from being unhandled meanwhile
    written.push(inFlight);
  };
  try {
    for await (const doc of documents) {
      if (taken.has(doc.id)) throw new SpladeError("INVALID_ARGUMENT", `document id "${doc.id}" is already in the index (delete it first)`);
      taken.add(doc.id);
      builder.add(doc);
      done++;
      if (done % 1024 === 0) options.onProgress?.({ phase: "index", done });
      if (builder.postingCount >= maxPostings) await flush(false);
    }
    options.onProgress?.({ phase: "index", done });
    await flush(true);
    return await Promise.all(written);
  } finally {
    await thread.close(); // after a failure, abandons the segment in flight (its temporary file is removed by the next writer)
  }
}

function commit(dir: string, manifest: Manifest): void {
  writeManifest(dir, manifest);
  removeUnreferencedFiles(dir, manifest);
}

/** Builds a new index in `dir` from a stream of documents. */
export async function createIndex(dir: string, documents: Documents, options: CreateOptions = {}): Promise<WriteResult> {
  return withIndexLock(dir, async () => {
    const previous = hasManifest(dir) ? readManifest(dir) : null;
    if (previous !== null && !options.overwrite) throw new SpladeError("INVALID_ARGUMENT", `${dir}: an index already exists here (overwrite it explicitly)`);
    const generation = (previous?.generation ?? 0) + 1;
    const settings = resolveSettings(options.settings);
    const segments = await writeNewSegments(dir, generation, settings, [], documents, new Set(), options);
    commit(dir, { format: "splade-ts-index", version: 1, generation, settings, model: options.model ?? null, segments });
    return { generation, addedCount: segments.reduce((n, s) => n + s.docCount, 0), segmentCount: segments.length };
  }, { create: true });
}

/** Adds documents as new segment(s); ids must not be live in the index already. */
export async function addDocuments(dir: string, documents: Documents, options: WriteOptions = {}): Promise<WriteResult> {
  return withIndexLock(dir, async () => {
    const manifest = readManifest(dir);
    const taken = new Set<string>();
    forEachDocumentId(dir, manifest, (_s, _p, id, deleted) => {
      if (!deleted) taken.add(id);
    });
    const generation = manifest.generation + 1;
    const added = await writeNewSegments(dir, generation, manifest.settings, manifest.segments, documents, taken, options);
    const segments = [...manifest.segments, ...added];
    commit(dir, { ...manifest, generation, segments });
    return { generation, addedCount: added.reduce((n, s) => n + s.docCount, 0), segmentCount: segments.length };
  });
}

/** Deletes live documents by id; returns how many were deleted and which ids were not found. */
export async function deleteDocuments(dir: string, ids: readonly string[]): Promise<{ deletedCount: number; notFound: string[]; generation: number }> {
  return withIndexLock(dir, () => {
    const manifest = readManifest(dir);
    const wanted = new Set(ids);
    const found = new Set<string>();
    const bitmaps = new Map<number, Uint32Array>();
    forEachDocumentId(dir, manifest, (s, position, id, deleted) => {
      if (deleted || !wanted.has(id)) return;
      found.add(id);
      if (!bitmaps.has(s)) bitmaps.set(s, readDeletes(dir, manifest.segments[s]));
      bitmaps.get(s)![position >>> 5] |= 1 << (position & 31);
    });
    const notFound = [...wanted].filter((id) => !found.has(id));
    if (found.size === 0) return { deletedCount: 0, notFound, generation: manifest.generation };
    const generation = manifest.generation + 1;
    const segments = manifest.segments.map((entry, s) => {
      const bits = bitmaps.get(s);
      if (bits === undefined) return entry;
      return { ...entry, deletes: writeDeletes(dir, deletesFileName(entry.file, generation), entry.docCount, bits) };
    });
    commit(dir, { ...manifest, generation, segments });
    return { deletedCount: found.size, notFound, generation };
  });
}

/**
 * Rewrites all live documents into as few segments as the size limit allows: drops deleted documents,
 * re-reorders, and (BM25) recomputes every impact with the merged collection's avgdl. u8 impacts are
 * re-quantized from their dequantized values (the scale may change if the largest impact was deleted).
 */
export async function mergeIndex(dir: string, options: WriteOptions = {}): Promise<WriteResult> {
  return withIndexLock(dir, async () => {
    const manifest = readManifest(dir);
    const index = SparseIndex.openSync(dir);
    const bm25 = manifest.settings.weighting.kind === "bm25";
    function* liveDocuments(): Generator<IndexDocument> {
      for (const { segment, deleted } of index.segments) {
        const forward = forwardDocuments(segment, bm25 ? "termFrequencies" : "impacts");
        for (let position = 0; position < segment.docCount; position++) {
          if (isDeleted(deleted, position)) continue;
          yield { id: segmentDocId(segment, position), vector: forwardVector(forward, position), payload: segmentPayload(segment, position) };
        }
      }
    }
    const generation = manifest.generation + 1;
    const segments = await writeNewSegments(dir, generation, manifest.settings, [], liveDocuments(), new Set(), options);
    commit(dir, { ...manifest, generation, segments });
    return { generation, addedCount: 0, segmentCount: segments.length };
  });
}

/**
 * Merges the segments from position `from` on into as few new segments as the size limit allows, dropping
 * their deleted documents; the segments before `from` are untouched. The tail is contiguous, so insertion
 * order (ordinals, the tie-break) keeps its order. For a long-lived writer that commits many small batches
 * (the HTTP server's merge policy): merging only the recent small segments costs what they hold, not the
 * whole index. BM25: the tail's impacts are recomputed with the whole collection's avgdl, as a write does.
 */
export async function mergeTail(dir: string, from: number, options: WriteOptions = {}): Promise<WriteResult> {
  return withIndexLock(dir, async () => {
    const manifest = readManifest(dir);
    if (!(Number.isInteger(from) && from >= 0 && from <= manifest.segments.length)) {
      throw new SpladeError("INVALID_ARGUMENT", `merge from segment ${from}: the index has ${manifest.segments.length} segment(s)`);
    }
    const kept = manifest.segments.slice(0, from);
    const tail = manifest.segments.slice(from);
    const bm25 = manifest.settings.weighting.kind === "bm25";
    function* liveDocuments(): Generator<IndexDocument> {
      for (const entry of tail) {
        const path = join(dir, entry.file);
        const { segment, headerCrc32 } = readSegmentFile(path);
        if (headerCrc32 !== entry.headerCrc32) throw new SpladeError("CHECKSUM_MISMATCH", `${path}: does not match the segment the manifest lists`, { path });
        const deleted = entry.deletes === null ? null : readDeletes(dir, entry);
        const forward = forwardDocuments(segment, bm25 ? "termFrequencies" : "impacts");
        for (let position = 0; position < segment.docCount; position++) {
          if (isDeleted(deleted, position)) continue;
          yield { id: segmentDocId(segment, position), vector: forwardVector(forward, position), payload: segmentPayload(segment, position) };
        }
      }
    }
    const generation = manifest.generation + 1;
    const written = await writeNewSegments(dir, generation, manifest.settings, kept, liveDocuments(), new Set(), options);
    const segments = [...kept, ...written];
    commit(dir, { ...manifest, generation, segments });
    return { generation, addedCount: 0, segmentCount: segments.length };
  });
}
