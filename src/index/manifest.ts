/**
 * The manifest `index.json`: the one file that says what the index is. It lists the segment files and
 * deletion bitmaps that make up the current generation, with each file's header CRC (binding the manifest
 * to exact file contents), the layout settings, the weighting (none | BM25 parameters) and the model record
 * the application stores (opaque here: e.g. {"kind": "bm25", "vocab": …} or {"kind": "splade", "spec": …}).
 * It carries a CRC-32 of its own JSON (with the crc32 field removed) so that a damaged manifest is detected.
 * Every change writes new files first and then replaces the manifest atomically (index-writer.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { SpladeError } from "../util/errors.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { ImpactKind, Weighting } from "./segment.js";
import type { Reordering } from "./reorder.js";
import type { ApproximateSettings } from "./clustered-lists.js";

export const MANIFEST_FILE = "index.json";
export const MANIFEST_FORMAT = "splade-ts-index";
export const MANIFEST_VERSION = 1;

export interface IndexSettings {
  readonly blockSize: number;
  readonly superblockSize: number;
  readonly impact: ImpactKind;
  readonly reorder: Reordering;
  readonly weighting: Weighting;
  /**
   * Approximate-search structures built into every segment, or false. Absent in manifests written before
   * they existed: such indexes add segments without them, and `mergeIndex` builds them (with defaults).
   */
  readonly approximate?: ApproximateSettings | false;
}

export interface ManifestSegment {
  readonly file: string;
  readonly headerCrc32: number;
  readonly docCount: number;
  readonly postingCount: number;
  readonly sizeBytes: number;
  /** BM25: Σ document lengths (for avgdl). */
  readonly sumDocLength: number;
  readonly deletes: { readonly file: string; readonly headerCrc32: number; readonly count: number } | null;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: number;
  readonly generation: number;
  readonly settings: IndexSettings;
  readonly model: unknown;
  readonly segments: readonly ManifestSegment[];
}

function crcOfJson(text: string): number {
  return zlib.crc32(Buffer.from(text, "utf8")) >>> 0;
}

function serialize(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2);
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const body = serialize(manifest);
  const withCrc = { ...manifest, crc32: crcOfJson(body) };
  writeFileAtomicSync(join(dir, MANIFEST_FILE), JSON.stringify(withCrc, null, 2) + "\n");
}

export function hasManifest(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new SpladeError("FILE_NOT_FOUND", `${path}: no index here (cannot read ${MANIFEST_FILE})`, { path, cause: error });
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SpladeError("INVALID_FILE", `${path}: not valid JSON (damaged index manifest)`, { path, cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || parsed.format !== MANIFEST_FORMAT) {
    throw new SpladeError("INVALID_FILE", `${path}: not a splade-ts index manifest`, { path });
  }
  if (typeof parsed.version !== "number" || parsed.version > MANIFEST_VERSION) {
    throw new SpladeError("UNSUPPORTED", `${path}: index format version ${String(parsed.version)}; this library reads up to ${MANIFEST_VERSION}`, { path });
  }
  const { crc32, ...manifest } = parsed;
  if (crc32 !== crcOfJson(serialize(manifest as unknown as Manifest))) {
    throw new SpladeError("CHECKSUM_MISMATCH", `${path}: manifest checksum mismatch (file damaged or edited)`, { path });
  }
  const m = manifest as unknown as Manifest;
  if (!Number.isInteger(m.generation) || !Array.isArray(m.segments) || typeof m.settings !== "object") {
    throw new SpladeError("INVALID_FILE", `${path}: manifest is missing fields`, { path });
  }
  for (const s of m.segments) {
    if (typeof s?.file !== "string" || !/^[A-Za-z0-9._-]+$/.test(s.file) || !Number.isInteger(s.docCount)) {
      throw new SpladeError("INVALID_FILE", `${path}: manifest lists an invalid segment entry`, { path });
    }
  }
  return m;
}
