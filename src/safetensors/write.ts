/**
 * Writing safetensors files byte-for-byte as the reference writer (which Python's
 * `safetensors.torch.save_file` calls) does, so files load in Python `safetensors`, transformers and
 * sentence-transformers, and the same tensors always give the same bytes:
 * - tensors sorted by dtype in descending upstream declaration order (keeps every tensor aligned to its
 *   element size), then by name (byte-wise, as Rust compares `String`s);
 * - compact JSON header, `__metadata__` first when given, then the tensors in data order, each as
 *   `{"dtype","shape","data_offsets"}`;
 * - header padded with spaces to a multiple of 8 bytes.
 *
 * Source: huggingface/safetensors `safetensors/src/tensor.rs` (`prepare`, `impl Serialize for Metadata`).
 * The file is written atomically (util/atomic-write), so a crash never leaves a torn checkpoint.
 */
import { endianness } from "node:os";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { SpladeError, check } from "../util/errors.js";
import { dtypeRank, dtypeSizeBytes, isSafetensorsDtype, type SafetensorsDtype } from "./dtypes.js";

/** A float32 tensor, or any dtype given as its raw little-endian bytes. `shape` is row-major. */
export type TensorToWrite =
  | { name: string; dtype: "F32"; shape: readonly number[]; data: Float32Array }
  | { name: string; dtype: SafetensorsDtype; shape: readonly number[]; data: Uint8Array };

export type TensorsToWrite = readonly TensorToWrite[] | Readonly<Record<string, Omit<TensorToWrite, "name">>>;

function toList(tensors: TensorsToWrite): TensorToWrite[] {
  if (Array.isArray(tensors)) return [...(tensors as readonly TensorToWrite[])];
  return Object.entries(tensors).map(([name, t]) => ({ name, ...t }) as TensorToWrite);
}

function bytesOf(tensor: TensorToWrite): Uint8Array {
  check(isSafetensorsDtype(tensor.dtype), `tensor '${tensor.name}': unknown dtype ${JSON.stringify(tensor.dtype)}`);
  check(
    tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0),
    `tensor '${tensor.name}': shape [${tensor.shape}] is not a list of non-negative integers`,
  );
  const elements = tensor.shape.reduce((product, dim) => product * dim, 1);
  if (tensor.data instanceof Float32Array) {
    check(tensor.dtype === "F32", `tensor '${tensor.name}': Float32Array data needs dtype F32, not ${tensor.dtype}`);
    check(tensor.data.length === elements, `tensor '${tensor.name}': ${tensor.data.length} values for shape [${tensor.shape}]`);
    return new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  }
  const expectedBytes = elements * dtypeSizeBytes(tensor.dtype);
  check(
    tensor.data.byteLength === expectedBytes,
    `tensor '${tensor.name}': ${tensor.data.byteLength} bytes for ${tensor.dtype} [${tensor.shape}], expected ${expectedBytes}`,
  );
  return tensor.data;
}

/** The file's bytes as chunks: the 8-byte header length, the padded header, then each tensor's data. */
export function encodeSafetensors(tensors: TensorsToWrite, metadata?: Readonly<Record<string, string>>): Uint8Array[] {
  if (endianness() !== "LE") throw new SpladeError("UNSUPPORTED", "writing safetensors needs a little-endian host");
  const list = toList(tensors);
  const seen = new Set<string>();
  for (const { name } of list) {
    check(name !== "__metadata__", `'__metadata__' is reserved and cannot name a tensor`);
    check(!seen.has(name), `tensor '${name}' is given twice`);
    seen.add(name);
  }
  const utf8 = new Map(list.map((t) => [t.name, Buffer.from(t.name, "utf8")]));
  list.sort(
    (a, b) => dtypeRank(b.dtype) - dtypeRank(a.dtype) || Buffer.compare(utf8.get(a.name)!, utf8.get(b.name)!),
  );

  const entries: string[] = [];
  if (metadata !== undefined) {
    for (const value of Object.values(metadata)) check(typeof value === "string", "metadata values must be strings");
    entries.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  const data: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of list) {
    const bytes = bytesOf(tensor);
    const info = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.byteLength] };
    entries.push(`${JSON.stringify(tensor.name)}:${JSON.stringify(info)}`);
    data.push(bytes);
    offset += bytes.byteLength;
  }
  const json = Buffer.from(`{${entries.join(",")}}`, "utf8");
  const padding = (8 - (json.byteLength % 8)) % 8;
  const header = Buffer.concat([json, Buffer.alloc(padding, " ")]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.byteLength));
  return [length, header, ...data];
}

/** Writes `tensors` (and optional string `metadata`, e.g. `{format: "pt"}`) to `path` atomically. */
export function writeSafetensors(
  path: string,
  tensors: TensorsToWrite,
  metadata?: Readonly<Record<string, string>>,
): void {
  writeFileAtomicSync(path, encodeSafetensors(tensors, metadata));
}
