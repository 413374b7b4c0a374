/**
 * A long-lived reader that re-opens its index after every commit without re-reading what did not change.
 * Segment files and deletion bitmaps are immutable once a manifest publishes them (index-writer.ts), so a
 * cache keyed by file name and header CRC returns the arrays already loaded and only new files are read
 * (checksums verified, as SparseIndex.open does). Re-opening after a write therefore costs what the write
 * added, not the size of the index. Each open() returns a new immutable SparseIndex (a snapshot): searches
 * running on an older one keep reading the arrays it holds.
 */
import { join } from "node:path";
import { SpladeError } from "../util/errors.js";
import { readManifest } from "./manifest.js";
import { readSegmentFile } from "./segment-file.js";
import { readDeletesFile } from "./deletes-file.js";
import { SparseIndex, type OpenOptions } from "./sparse-index.js";
import type { Segment } from "./segment.js";

interface Cached<T> {
  readonly headerCrc32: number;
  readonly value: T;
}

export class IndexReader {
  private segments = new Map<string, Cached<Segment>>();
  private deletes = new Map<string, Cached<Uint32Array>>();

  constructor(
    readonly dir: string,
    private readonly options: OpenOptions = {},
  ) {}

  /** The index the manifest publishes now. */
  open(): SparseIndex {
    const manifest = readManifest(this.dir);
    const segments = new Map<string, Cached<Segment>>();
    const deletes = new Map<string, Cached<Uint32Array>>();
    const live = manifest.segments.map((entry) => {
      const path = join(this.dir, entry.file);
      let cached = this.segments.get(entry.file);
      if (cached === undefined || cached.headerCrc32 !== entry.headerCrc32) {
        const { segment, headerCrc32 } = readSegmentFile(path, this.options);
        cached = { headerCrc32, value: segment };
      }
      if (cached.headerCrc32 !== entry.headerCrc32 || cached.value.docCount !== entry.docCount) {
        throw new SpladeError("CHECKSUM_MISMATCH", `${path}: does not match the segment the manifest lists (replaced or from another index)`, { path });
      }
      segments.set(entry.file, cached);
      if (entry.deletes === null) return { segment: cached.value, deleted: null };
      const deletesPath = join(this.dir, entry.deletes.file);
      let bits = this.deletes.get(entry.deletes.file);
      if (bits === undefined || bits.headerCrc32 !== entry.deletes.headerCrc32) {
        const file = readDeletesFile(deletesPath, entry.docCount, this.options);
        bits = { headerCrc32: file.headerCrc32, value: file.bits };
      }
      if (bits.headerCrc32 !== entry.deletes.headerCrc32) {
        throw new SpladeError("CHECKSUM_MISMATCH", `${deletesPath}: does not match the deletion bitmap the manifest lists`, { path: deletesPath });
      }
      deletes.set(entry.deletes.file, bits);
      return { segment: cached.value, deleted: bits.value };
    });
    this.segments = segments;
    this.deletes = deletes;
    return SparseIndex.fromSegments(manifest.settings, manifest.model, live, manifest.generation);
  }
}
