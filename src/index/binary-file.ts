/**
 * The container of the index's binary files (segments, deletion bitmaps): a checksummed header, a section
 * table, and sections aligned to 64 bytes, each read into its own (optionally shared) buffer so that typed
 * arrays view the bytes directly — loading is one read per section and a CRC pass, no parsing.
 *
 * Layout (little-endian):
 *   0  magic "SPLADETS" (8 bytes)      8  kind tag, 4 ASCII bytes ("SEGM", "DELS")
 *  12  format version u32             16  section count u32        20  header + table bytes u32
 *  24  file size f64                  32  reserved (28 bytes)      60  CRC-32 of bytes 0..60 and the table
 *  64  section table, 48 bytes each: name (24 ASCII bytes, NUL-padded), dtype u32, CRC-32 u32 of the
 *      section's bytes and its zero padding (so every byte of the file is covered), offset f64, byte length f64
 * CRC-32 is zlib's (ISO-HDLC polynomial; node:zlib crc32, Node ≥ 20.15). A truncated, corrupted or foreign
 * file is rejected with INVALID_FILE / CHECKSUM_MISMATCH / UNSUPPORTED naming the file and the section.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import * as zlib from "node:zlib";
import { SpladeError } from "../util/errors.js";

export type SectionType = "u8" | "u16" | "u32" | "i32" | "f32" | "f64" | "json";
const DTYPE_CODES: Record<SectionType, number> = { u8: 1, u32: 2, i32: 3, f32: 4, f64: 5, json: 6, u16: 7 };
const DTYPE_BYTES: Record<SectionType, number> = { u8: 1, u16: 2, u32: 4, i32: 4, f32: 4, f64: 8, json: 1 };
const MAGIC = "SPLADETS";
const HEADER_BYTES = 64;
const ENTRY_BYTES = 48;
const NAME_BYTES = 24;
const ALIGN = 64;

export interface SectionInput {
  readonly name: string;
  readonly type: SectionType;
  readonly data: ArrayBufferView;
}

export interface Section {
  readonly type: SectionType;
  readonly bytes: Uint8Array; // at offset 0 of its own buffer, so any typed array can view it
}

export interface BinaryFile {
  readonly version: number;
  readonly headerCrc32: number;
  readonly sections: Map<string, Section>;
  readonly sizeBytes: number;
}

function crc32(bytes: Uint8Array, initial = 0): number {
  const fn = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof fn !== "function") throw new SpladeError("UNSUPPORTED", "index files need node:zlib crc32 (Node ≥ 20.15)");
  return fn(bytes, initial) >>> 0;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function checkPlatform(): void {
  if (endianness() !== "LE") throw new SpladeError("UNSUPPORTED", "index files are little-endian; this machine is big-endian");
}

/** Encodes a file as chunks (header, then sections with padding) for an atomic writer. */
export function encodeBinaryFile(kind: string, version: number, sections: readonly SectionInput[]): { chunks: Uint8Array[]; headerCrc32: number } {
  checkPlatform();
  const tableBytes = HEADER_BYTES + ENTRY_BYTES * sections.length;
  const header = new Uint8Array(Math.ceil(tableBytes / ALIGN) * ALIGN);
  const view = new DataView(header.buffer);
  const chunks: Uint8Array[] = [header];
  let offset = header.length;
  sections.forEach((section, i) => {
    if (section.name.length > NAME_BYTES || !/^[\x20-\x7e]+$/.test(section.name)) throw new RangeError(`section name ${section.name}`);
    const bytes = bytesOf(section.data);
    const padding = new Uint8Array(Math.ceil(bytes.byteLength / ALIGN) * ALIGN - bytes.byteLength);
    const at = HEADER_BYTES + i * ENTRY_BYTES;
    header.set(Buffer.from(section.name, "ascii"), at);
    view.setUint32(at + NAME_BYTES, DTYPE_CODES[section.type], true);
    view.setUint32(at + NAME_BYTES + 4, crc32(padding, crc32(bytes)), true);
    view.setFloat64(at + NAME_BYTES + 8, offset, true);
    view.setFloat64(at + NAME_BYTES + 16, bytes.byteLength, true);
    chunks.push(bytes);
    if (padding.length > 0) chunks.push(padding);
    offset += bytes.byteLength + padding.length;
  });
  header.set(Buffer.from(MAGIC, "ascii"), 0);
  header.set(Buffer.from(kind, "ascii"), 8);
  view.setUint32(12, version, true);
  view.setUint32(16, sections.length, true);
  view.setUint32(20, tableBytes, true);
  view.setFloat64(24, offset, true);
  const headerCrc32 = crc32(header.subarray(HEADER_BYTES, tableBytes), crc32(header.subarray(0, 60)));
  view.setUint32(60, headerCrc32, true);
  return { chunks, headerCrc32 };
}

function readExactly(fd: number, target: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < target.byteLength) {
    const n = readSync(fd, target, done, Math.min(target.byteLength - done, 1 << 30), position + done);
    if (n === 0) throw new SpladeError("INVALID_FILE", `${path}: truncated (needed ${target.byteLength} bytes at offset ${position})`, { path });
    done += n;
  }
}

/**
 * Reads and verifies a file written by encodeBinaryFile. `shared` puts each section in a SharedArrayBuffer
 * (for worker threads); `verify: false` skips the section CRC pass (the header is always verified); `only`
 * reads just the named sections (e.g. the ids, for deletions), `skip` all but those it names.
 */
export function readBinaryFile(
  path: string,
  options: { kind: string; maxVersion: number; shared?: boolean; verify?: boolean; only?: readonly string[]; skip?: (name: string) => boolean },
): BinaryFile {
  checkPlatform();
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new SpladeError("FILE_NOT_FOUND", `${path}: cannot open (${(error as Error).message})`, { path, cause: error });
  }
  try {
    const sizeBytes = fstatSync(fd).size;
    const head = new Uint8Array(HEADER_BYTES);
    if (sizeBytes < HEADER_BYTES) throw new SpladeError("INVALID_FILE", `${path}: ${sizeBytes} bytes is too short for a splade-ts index file`, { path });
    readExactly(fd, head, 0, path);
    const view = new DataView(head.buffer);
    if (Buffer.from(head.subarray(0, 8)).toString("latin1") !== MAGIC) throw new SpladeError("INVALID_FILE", `${path}: not a splade-ts index file (bad magic)`, { path });
    const kind = Buffer.from(head.subarray(8, 12)).toString("latin1");
    if (kind !== options.kind) throw new SpladeError("INVALID_FILE", `${path}: is a "${kind}" file, expected "${options.kind}"`, { path });
    const version = view.getUint32(12, true);
    const count = view.getUint32(16, true);
    const tableBytes = view.getUint32(20, true);
    if (tableBytes !== HEADER_BYTES + ENTRY_BYTES * count || tableBytes > sizeBytes) throw new SpladeError("INVALID_FILE", `${path}: corrupt header (section table size)`, { path });
    const table = new Uint8Array(tableBytes - HEADER_BYTES);
    readExactly(fd, table, HEADER_BYTES, path);
    const headerCrc32 = crc32(table, crc32(head.subarray(0, 60)));
    if (headerCrc32 !== view.getUint32(60, true)) throw new SpladeError("CHECKSUM_MISMATCH", `${path}: header checksum mismatch (file corrupted)`, { path });
    if (version > options.maxVersion || version === 0) throw new SpladeError("UNSUPPORTED", `${path}: format version ${version}; this library reads versions 1..${options.maxVersion}`, { path });
    const declaredSize = view.getFloat64(24, true);
    if (declaredSize !== sizeBytes) throw new SpladeError("INVALID_FILE", `${path}: ${sizeBytes} bytes but the header says ${declaredSize} (truncated or appended to)`, { path });
    const tview = new DataView(table.buffer);
    const sections = new Map<string, Section>();
    for (let i = 0; i < count; i++) {
      const at = i * ENTRY_BYTES;
      const name = Buffer.from(table.subarray(at, at + NAME_BYTES)).toString("latin1").replace(/\0+$/, "");
      const code = tview.getUint32(at + NAME_BYTES, true);
      const type = (Object.keys(DTYPE_CODES) as SectionType[]).find((t) => DTYPE_CODES[t] === code);
      const offset = tview.getFloat64(at + NAME_BYTES + 8, true);
      const length = tview.getFloat64(at + NAME_BYTES + 16, true);
      if (type === undefined || offset + length > sizeBytes || length % DTYPE_BYTES[type] !== 0) {
        throw new SpladeError("INVALID_FILE", `${path}: section "${name}" has an invalid type or extent`, { path });
      }
      if (options.only !== undefined && !options.only.includes(name)) continue;
      if (options.skip?.(name)) continue;
      const padded = Math.ceil(length / ALIGN) * ALIGN;
      if (offset + padded > sizeBytes) throw new SpladeError("INVALID_FILE", `${path}: section "${name}" extends past the end of the file`, { path });
      const buffer = options.shared ? new SharedArrayBuffer(padded) : new ArrayBuffer(padded);
      const withPadding = new Uint8Array(buffer);
      readExactly(fd, withPadding, offset, path);
      if (options.verify !== false && crc32(withPadding) !== tview.getUint32(at + NAME_BYTES + 4, true)) {
        throw new SpladeError("CHECKSUM_MISMATCH", `${path}: section "${name}" checksum mismatch (file corrupted)`, { path });
      }
      sections.set(name, { type, bytes: withPadding.subarray(0, length) });
    }
    return { version, headerCrc32, sections, sizeBytes };
  } finally {
    closeSync(fd);
  }
}

/** A typed view of a section, checking its declared type. */
export function sectionArray(file: BinaryFile, path: string, name: string, type: "u8"): Uint8Array;
export function sectionArray(file: BinaryFile, path: string, name: string, type: "u16"): Uint16Array;
export function sectionArray(file: BinaryFile, path: string, name: string, type: "u32"): Uint32Array;
export function sectionArray(file: BinaryFile, path: string, name: string, type: "i32"): Int32Array;
export function sectionArray(file: BinaryFile, path: string, name: string, type: "f32"): Float32Array;
export function sectionArray(file: BinaryFile, path: string, name: string, type: "f64"): Float64Array;
export function sectionArray(file: BinaryFile, path: string, name: string, type: SectionType): ArrayBufferView {
  const section = file.sections.get(name);
  if (section === undefined) throw new SpladeError("INVALID_FILE", `${path}: missing section "${name}"`, { path });
  if (section.type !== type) throw new SpladeError("INVALID_FILE", `${path}: section "${name}" is ${section.type}, expected ${type}`, { path });
  const { buffer, byteLength } = section.bytes;
  switch (type) {
    case "u16":
      return new Uint16Array(buffer, 0, byteLength / 2);
    case "u32":
      return new Uint32Array(buffer, 0, byteLength / 4);
    case "i32":
      return new Int32Array(buffer, 0, byteLength / 4);
    case "f32":
      return new Float32Array(buffer, 0, byteLength / 4);
    case "f64":
      return new Float64Array(buffer, 0, byteLength / 8);
    default:
      return section.bytes;
  }
}

/** Parses a JSON section. */
export function sectionJson(file: BinaryFile, path: string, name: string): unknown {
  const section = file.sections.get(name);
  if (section === undefined || section.type !== "json") throw new SpladeError("INVALID_FILE", `${path}: missing JSON section "${name}"`, { path });
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(section.bytes));
  } catch (error) {
    throw new SpladeError("INVALID_FILE", `${path}: section "${name}" is not valid JSON`, { path, cause: error });
  }
}
