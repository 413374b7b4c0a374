/**
 * Deletion bitmaps (`*.del`): which documents of a segment (by insertion position) are deleted. Kind
 * "DELS", version 1, in the container of binary-file.ts: a JSON "meta" section and a u32 bitset [ceil(N/32)].
 * A new bitmap file is written for every change (files are immutable once published by the manifest).
 */
import { SpladeError } from "../util/errors.js";
import { encodeBinaryFile, readBinaryFile, sectionArray, sectionJson } from "./binary-file.js";

export const DELETES_KIND = "DELS";
export const DELETES_VERSION = 1;

export function countDeleted(bits: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    let v = bits[i];
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

export function encodeDeletes(docCount: number, bits: Uint32Array): { chunks: Uint8Array[]; headerCrc32: number } {
  const meta = { docCount, deletedCount: countDeleted(bits) };
  return encodeBinaryFile(DELETES_KIND, DELETES_VERSION, [
    { name: "meta", type: "json", data: Buffer.from(JSON.stringify(meta), "utf8") },
    { name: "bits", type: "u32", data: bits },
  ]);
}

export function readDeletesFile(path: string, expectedDocCount: number, options: { shared?: boolean } = {}): { bits: Uint32Array; headerCrc32: number } {
  const file = readBinaryFile(path, { kind: DELETES_KIND, maxVersion: DELETES_VERSION, ...options });
  const meta = sectionJson(file, path, "meta") as { docCount?: unknown; deletedCount?: unknown };
  const bits = sectionArray(file, path, "bits", "u32");
  if (meta?.docCount !== expectedDocCount || bits.length !== Math.ceil(expectedDocCount / 32) || meta.deletedCount !== countDeleted(bits)) {
    throw new SpladeError("INVALID_FILE", `${path}: deletion bitmap does not match its segment (${expectedDocCount} documents)`, { path });
  }
  return { bits, headerCrc32: file.headerCrc32 };
}
