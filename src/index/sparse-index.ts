/**
 * SparseIndex: the read side. Opens an index directory (manifest + segment files + deletion bitmaps) or
 * wraps in-memory segments, and answers exact top-k queries with ids, scores and stored payloads.
 *
 * Queries are given in the same space as the documents that were added: SPLADE weights for a plain index;
 * for a BM25 index, term counts, to which the index applies count · idf from its current statistics
 * (bm25.ts). Scores are then exactly the dot products of sparse/ops.ts over the stored impacts.
 */
import { join } from "node:path";
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { validateSparseVector } from "../sparse/validate.js";
import { INDEX_DEFAULTS } from "./defaults.js";
import { bm25AvgDocLength, bm25QueryWeight } from "./bm25.js";
import { SegmentBuilder, type IndexDocument } from "./segment-builder.js";
import { resolveSettings } from "./settings.js";
import { readManifest, type IndexSettings, type Manifest } from "./manifest.js";
import { readSegmentFile } from "./segment-file.js";
import { readDeletesFile, countDeleted } from "./deletes-file.js";
import { findTerm, segmentDocId, segmentPayload, segmentSearchBytes, segmentSizeBytes, type Segment } from "./segment.js";
import type { LiveSegment } from "./segment-query.js";
import { searchSegments, type SearchAlgorithm } from "./search.js";
import type { SearchScratch } from "./segment-query.js";
import type { ScoredOrdinal } from "./top-k.js";
import type { ApproximateSearchOptions } from "./approximate-search.js";

/** Manifests a reader tries when writers keep committing under it (openSync). */
const MAX_OPEN_ATTEMPTS = 20;

export interface SearchHit {
  readonly id: string;
  readonly score: number;
  /** Insertion order across the whole index (the tie-break). */
  readonly ordinal: number;
  readonly payload?: unknown;
}

export interface SearchOptions {
  /** Results per query (default 10). */
  readonly k?: number;
  /** "bmp" (default) or "exhaustive"; both exact. */
  readonly algorithm?: SearchAlgorithm;
  /**
   * Approximate search: `true` for the defaults (≥ 95 % recall@10 on the benchmark), or knobs
   * `{ queryTerms, heapFactor, rescore }` (approximate-search.ts). Scores stay exact dot products.
   */
  readonly approximate?: boolean | Partial<ApproximateSearchOptions>;
  /** Return stored payloads with hits (default true). */
  readonly withPayload?: boolean;
  /** Reused search buffers (one per thread). */
  readonly scratch?: SearchScratch;
}

export interface OpenOptions {
  /** Load sections into SharedArrayBuffers, for worker threads (search-pool.ts). */
  readonly shared?: boolean;
  /** Verify every section checksum (default true). */
  readonly verify?: boolean;
  /** Load the approximate-search structures (default true); false saves their memory (exact search only). */
  readonly approximate?: boolean;
}

export interface IndexStats {
  readonly docCount: number;
  readonly deletedCount: number;
  readonly segmentCount: number;
  readonly postingCount: number;
  readonly termCount: number;
  /** All arrays, ids and payloads included. */
  readonly sizeBytes: number;
  /** Search structures only (segment.ts segmentSearchBytes) per posting. */
  readonly bytesPerPosting: number;
  readonly generation: number | null;
  readonly settings: IndexSettings;
  readonly model: unknown;
}

export class SparseIndex {
  private constructor(
    readonly settings: IndexSettings,
    readonly model: unknown,
    readonly segments: readonly LiveSegment[],
    readonly generation: number | null,
  ) {}

  /** Opens the index published by `dir/index.json`. */
  static async open(dir: string, options: OpenOptions = {}): Promise<SparseIndex> {
    return SparseIndex.openSync(dir, options);
  }

  static openSync(dir: string, options: OpenOptions = {}): SparseIndex {
    // A writer in another process may commit between our reading the manifest and its files, and delete the
    // files its new manifest no longer lists (a merge). As Lucene's FindSegmentsFile: when a listed file is
    // gone and the manifest has moved on, open the newer generation.
    for (let attempt = 1; ; attempt++) {
      const manifest: Manifest = readManifest(dir);
      try {
        return SparseIndex.fromManifest(dir, manifest, options);
      } catch (error) {
        const missing = error instanceof SpladeError && error.code === "FILE_NOT_FOUND";
        if (!missing || attempt >= MAX_OPEN_ATTEMPTS || readManifest(dir).generation === manifest.generation) throw error;
      }
    }
  }

  private static fromManifest(dir: string, manifest: Manifest, options: OpenOptions): SparseIndex {
    let base = 0;
    const live: LiveSegment[] = manifest.segments.map((entry) => {
      const path = join(dir, entry.file);
      const { segment, headerCrc32 } = readSegmentFile(path, options);
      if (headerCrc32 !== entry.headerCrc32 || segment.docCount !== entry.docCount) {
        throw new SpladeError("CHECKSUM_MISMATCH", `${path}: does not match the segment the manifest lists (replaced or from another index)`, { path });
      }
      let deleted: Uint32Array | null = null;
      if (entry.deletes !== null) {
        const deletesPath = join(dir, entry.deletes.file);
        const file = readDeletesFile(deletesPath, segment.docCount, options);
        if (file.headerCrc32 !== entry.deletes.headerCrc32) {
          throw new SpladeError("CHECKSUM_MISMATCH", `${deletesPath}: does not match the deletion bitmap the manifest lists`, { path: deletesPath });
        }
        deleted = file.bits;
      }
      const result = { segment, deleted, baseOrdinal: base };
      base += segment.docCount;
      return result;
    });
    return new SparseIndex(manifest.settings, manifest.model, live, manifest.generation);
  }

  /**
   * An in-memory index of `documents` (no files): for evaluation and tests. Insertion order is the order
   * given, so ties break by it. BM25 weighting: documents are term-frequency vectors (bm25.ts).
   */
  static fromDocuments(documents: Iterable<IndexDocument>, options: { settings?: Partial<IndexSettings>; model?: unknown } = {}): SparseIndex {
    const settings = resolveSettings(options.settings);
    const builder = new SegmentBuilder(settings);
    for (const doc of documents) builder.add(doc);
    const avgDocLength = bm25AvgDocLength(builder.sumDocLength, builder.docCount);
    const segment = builder.build({ avgDocLength: avgDocLength > 0 ? avgDocLength : 1 });
    return SparseIndex.fromSegments(settings, options.model ?? null, [{ segment, deleted: null }]);
  }

  /** Wraps segments already in memory (from a builder, a worker thread, or a reader's cache with its generation). */
  static fromSegments(settings: IndexSettings, model: unknown, segments: ReadonlyArray<{ segment: Segment; deleted: Uint32Array | null }>, generation: number | null = null): SparseIndex {
    let base = 0;
    const live = segments.map(({ segment, deleted }) => {
      const result = { segment, deleted, baseOrdinal: base };
      base += segment.docCount;
      return result;
    });
    return new SparseIndex(settings, model, live, generation);
  }

  /** Live (not deleted) documents. */
  get docCount(): number {
    return this.segments.reduce((n, s) => n + s.segment.docCount - (s.deleted ? countDeleted(s.deleted) : 0), 0);
  }

  /** The query as scored: BM25 indexes turn term counts into count · idf; others validate and pass through. */
  queryVector(query: SparseVector): SparseVector {
    validateSparseVector(query, { label: "query", nonNegative: true });
    const weighting = this.settings.weighting;
    if (weighting.kind !== "bm25") return query;
    const N = this.segments.reduce((n, s) => n + s.segment.docCount, 0);
    const indices: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < query.indices.length; i++) {
      const df = this.documentFrequency(query.indices[i]);
      if (df === 0 || query.values[i] === 0) continue;
      indices.push(query.indices[i]);
      values.push(bm25QueryWeight(query.values[i], df, N));
    }
    return { indices: Uint32Array.from(indices), values: Float32Array.from(values) };
  }

  /** Documents containing `term`, deleted ones included until a merge (Lucene's docFreq). */
  documentFrequency(term: number): number {
    let df = 0;
    for (const { segment } of this.segments) {
      const ti = findTerm(segment, term);
      if (ti < 0) continue;
      const firstPair = segment.superPairStart[segment.termSuperStart[ti]];
      const endPair = segment.superPairStart[segment.termSuperStart[ti + 1]];
      df += segment.pairPostingStart[endPair] - segment.pairPostingStart[firstPair];
    }
    return df;
  }

  /** Exact top-k: (ordinal, score) pairs, best first. */
  searchOrdinals(query: SparseVector, options: SearchOptions = {}): ScoredOrdinal[] {
    return searchSegments(this.segments, this.queryVector(query), {
      k: options.k ?? INDEX_DEFAULTS.k,
      algorithm: options.algorithm,
      scratch: options.scratch,
      approximate: options.approximate,
    });
  }

  /** Exact top-k with ids (and payloads), best first; ties by insertion order. */
  search(query: SparseVector, options: SearchOptions = {}): SearchHit[] {
    return this.hits(this.searchOrdinals(query, options), options.withPayload ?? true);
  }

  /** (ordinal, score) pairs (searchOrdinals, or a SearchPool's) as hits with ids (and payloads), in order. */
  hits(found: readonly ScoredOrdinal[], withPayload = true): SearchHit[] {
    return found.map(({ ordinal, score }) => this.hit(ordinal, score, withPayload));
  }

  /** Id and payload of the document with this ordinal. */
  document(ordinal: number): { id: string; payload: unknown } {
    const { segment, position } = this.locate(ordinal);
    return { id: segmentDocId(segment, position), payload: segmentPayload(segment, position) };
  }

  stats(): IndexStats {
    const terms = new Set<number>();
    let postingCount = 0;
    let sizeBytes = 0;
    let searchBytes = 0;
    let deletedCount = 0;
    for (const { segment, deleted } of this.segments) {
      for (const t of segment.termIds) terms.add(t);
      postingCount += segment.postingCount;
      sizeBytes += segmentSizeBytes(segment);
      searchBytes += segmentSearchBytes(segment);
      deletedCount += deleted ? countDeleted(deleted) : 0;
    }
    return {
      docCount: this.docCount,
      deletedCount,
      segmentCount: this.segments.length,
      postingCount,
      termCount: terms.size,
      sizeBytes,
      bytesPerPosting: postingCount === 0 ? 0 : searchBytes / postingCount,
      generation: this.generation,
      settings: this.settings,
      model: this.model,
    };
  }

  private hit(ordinal: number, score: number, withPayload: boolean): SearchHit {
    const { segment, position } = this.locate(ordinal);
    const id = segmentDocId(segment, position);
    if (!withPayload) return { id, score, ordinal };
    const payload = segmentPayload(segment, position);
    return payload === undefined ? { id, score, ordinal } : { id, score, ordinal, payload };
  }

  private locate(ordinal: number): { segment: Segment; position: number } {
    for (const live of this.segments) {
      const position = ordinal - live.baseOrdinal;
      if (position >= 0 && position < live.segment.docCount) return { segment: live.segment, position };
    }
    throw new SpladeError("NOT_FOUND", `no document with ordinal ${ordinal}`);
  }
}
