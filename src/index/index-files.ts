/**
 * File-level helpers of the index directory: naming, writing a segment or a bitmap atomically, reading just
 * the document ids of a published index, and removing files no manifest references any more.
 * Names: `seg-<generation>-<n>.seg`, `seg-<generation>-<n>.<generation>.del`; temporaries of the atomic
 * writer start with "." and end in ".tmp" (util/atomic-write.ts).
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { Segment } from "./segment.js";
import { encodeSegment, readSegmentIds } from "./segment-file.js";
import { encodeDeletes, readDeletesFile, countDeleted } from "./deletes-file.js";
import { MANIFEST_FILE, type Manifest, type ManifestSegment } from "./manifest.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const pad = (n: number) => String(n).padStart(6, "0");

export function segmentFileName(generation: number, n: number): string {
  return `seg-${pad(generation)}-${pad(n)}.seg`;
}

export function deletesFileName(segmentFile: string, generation: number): string {
  return `${segmentFile.replace(/\.seg$/, "")}.${pad(generation)}.del`;
}

/** Writes a segment file atomically and returns its manifest entry. */
export function writeSegment(dir: string, file: string, segment: Segment): ManifestSegment {
  const { chunks, headerCrc32 } = encodeSegment(segment);
  writeFileAtomicSync(join(dir, file), chunks);
  const sumDocLength = segment.bm25 ? segment.bm25.docLengths.reduce((a, b) => a + b, 0) : 0;
  return {
    file,
    headerCrc32,
    docCount: segment.docCount,
    postingCount: segment.postingCount,
    sizeBytes: chunks.reduce((n, c) => n + c.byteLength, 0),
    sumDocLength,
    deletes: null,
  };
}

/** Writes a deletion bitmap atomically and returns the manifest's `deletes` record. */
export function writeDeletes(dir: string, file: string, docCount: number, bits: Uint32Array): NonNullable<ManifestSegment["deletes"]> {
  const { chunks, headerCrc32 } = encodeDeletes(docCount, bits);
  writeFileAtomicSync(join(dir, file), chunks);
  return { file, headerCrc32, count: countDeleted(bits) };
}

/** The deletion bitmap of a manifest segment (a fresh zeroed one when it has none). */
export function readDeletes(dir: string, entry: ManifestSegment): Uint32Array {
  if (entry.deletes === null) return new Uint32Array(Math.ceil(entry.docCount / 32));
  return readDeletesFile(join(dir, entry.deletes.file), entry.docCount).bits.slice();
}

/** Calls visit(segmentIndex, position, id, deleted) for every document of the manifest, reading only ids. */
export function forEachDocumentId(dir: string, manifest: Manifest, visit: (segment: number, position: number, id: string, deleted: boolean) => void): void {
  manifest.segments.forEach((entry, s) => {
    const { idOffsets, idBytes } = readSegmentIds(join(dir, entry.file));
    const bits = readDeletes(dir, entry);
    for (let position = 0; position < entry.docCount; position++) {
      const id = utf8.decode(idBytes.subarray(idOffsets[position], idOffsets[position + 1]));
      visit(s, position, id, (bits[position >>> 5] & (1 << (position & 31))) !== 0);
    }
  });
}

/** Removes segment/bitmap files the manifest does not reference and temporaries left by killed writers. */
export function removeUnreferencedFiles(dir: string, manifest: Manifest): void {
  const keep = new Set<string>([MANIFEST_FILE]);
  for (const s of manifest.segments) {
    keep.add(s.file);
    if (s.deletes) keep.add(s.deletes.file);
  }
  for (const name of readdirSync(dir)) {
    const ours = /^seg-\d+-\d+(\.\d+\.del|\.seg)$/.test(name) || /^\.(seg-|index\.json).*\.tmp$/.test(name);
    if (ours && !keep.has(name)) rmSync(join(dir, name), { force: true });
  }
}
