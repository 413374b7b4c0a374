/**
 * Parsing and validation of a safetensors header, with the same rules as the reference loader.
 *
 * Layout: 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON
 * `{"__metadata__"?: {string: string}, name: {"dtype", "shape": [..], "data_offsets": [begin, end]}, ...}`,
 * then the data section. Offsets are relative to the data section. Sorted by offset, the tensors must
 * tile the data section exactly: the first starts at 0, each starts where the previous ends (a smaller
 * start is an overlap, a larger one a gap), each spans prod(shape) × dtype size bytes, and the last ends at
 * the end of the file.
 *
 * Source: huggingface/safetensors `safetensors/src/tensor.rs` (`read_metadata`, `Metadata::validate`,
 * `MAX_HEADER_SIZE`). Every failure is an INVALID_FILE SpladeError whose message starts with the file.
 */
import { SpladeError } from "../util/errors.js";
import { dtypeSizeBytes, isSafetensorsDtype, type SafetensorsDtype } from "./dtypes.js";

/** Upstream refuses headers over 100 MB (`MAX_HEADER_SIZE`). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Absolute position of the first data byte in the file (8 + header length + data_offsets[0]). */
  readonly byteOffset: number;
  readonly byteLength: number;
}

export interface SafetensorsHeader {
  /** In file order (ascending offset). */
  readonly tensors: TensorInfo[];
  readonly metadata: Record<string, string>;
  /** Absolute position of the data section: 8 + header length. */
  readonly dataStart: number;
}

function invalid(file: string, problem: string): SpladeError {
  return new SpladeError("INVALID_FILE", `${file}: ${problem}`, { path: file });
}

/** Reads N from the first 8 bytes and checks that the header fits in a file of `fileSizeBytes`. */
export function parseHeaderLength(prefix: Uint8Array, fileSizeBytes: number, file: string): number {
  if (fileSizeBytes < 8 || prefix.byteLength < 8) {
    throw invalid(file, `not a safetensors file: ${fileSizeBytes} bytes, too short for the 8-byte header length`);
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw invalid(file, `header length ${n} is over the ${MAX_HEADER_BYTES}-byte limit (not safetensors?)`);
  }
  const length = Number(n);
  if (8 + length > fileSizeBytes) {
    throw invalid(file, `header length ${length} runs past the end of the file (${fileSizeBytes} bytes)`);
  }
  return length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function parseMetadata(value: unknown, file: string): Record<string, string> {
  if (!isPlainObject(value)) throw invalid(file, `"__metadata__" must be an object of strings`);
  const metadata: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw invalid(file, `"__metadata__" entry '${key}' is not a string`);
    metadata[key] = entry;
  }
  return metadata;
}

interface RawEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, value: unknown, file: string): RawEntry {
  if (!isPlainObject(value)) throw invalid(file, `tensor '${name}': entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDtype(dtype)) {
    throw invalid(file, `tensor '${name}': unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw invalid(file, `tensor '${name}': shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    const text = JSON.stringify(offsets);
    throw invalid(file, `tensor '${name}': data_offsets ${text} is not [begin, end] with begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  const elements = shape.reduce((product: number, dim: number) => product * dim, 1);
  const expectedBytes = elements * dtypeSizeBytes(dtype);
  if (!Number.isSafeInteger(expectedBytes)) throw invalid(file, `tensor '${name}': shape [${shape}] overflows`);
  if (end - begin !== expectedBytes) {
    throw invalid(
      file,
      `tensor '${name}': data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dtype} [${shape}] needs ${expectedBytes}`,
    );
  }
  return { name, dtype, shape, begin, end };
}

/**
 * Parses and validates the JSON header (`headerBytes`, the N bytes after the length) of a file of
 * `fileSizeBytes` bytes. `file` names the file in error messages.
 */
export function parseHeader(headerBytes: Uint8Array, fileSizeBytes: number, file: string): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes);
  } catch {
    throw invalid(file, "header is not valid UTF-8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) throw invalid(file, "header is not a JSON object");

  let metadata: Record<string, string> = {};
  const entries: RawEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === "__metadata__") metadata = parseMetadata(value, file);
    else entries.push(parseEntry(name, value, file));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);

  const dataStart = 8 + headerBytes.byteLength;
  let position = 0;
  let previous: RawEntry | undefined;
  for (const entry of entries) {
    const where = `tensor '${entry.name}' (data bytes ${entry.begin}..${entry.end})`;
    if (entry.begin < position) {
      throw invalid(file, `${where} overlaps tensor '${previous?.name}' (data bytes ${previous?.begin}..${position})`);
    }
    if (entry.begin > position) {
      throw invalid(file, `gap in the data section: ${where} starts after the previous tensor ends (${position})`);
    }
    const endByte = dataStart + entry.end;
    if (endByte > fileSizeBytes) {
      throw invalid(file, `truncated: tensor '${entry.name}' ends at byte ${endByte} but the file has ${fileSizeBytes} bytes`);
    }
    position = entry.end;
    previous = entry;
  }
  const dataEnd = dataStart + position;
  if (dataEnd !== fileSizeBytes) {
    const extra = fileSizeBytes - dataEnd;
    throw invalid(file, `${extra} unexpected bytes after the last tensor (data ends at byte ${dataEnd} of ${fileSizeBytes})`);
  }

  const tensors = entries.map(({ name, dtype, shape, begin, end }) => ({
    name,
    dtype,
    shape,
    byteOffset: dataStart + begin,
    byteLength: end - begin,
  }));
  return { tensors, metadata, dataStart };
}
