/**
 * Reading safetensors files: `readSafetensors(path)` reads and validates the header only; tensor data is read
 * from disk on request, one tensor at a time, straight into a fresh buffer of its own. So a 1.3 GB checkpoint
 * never sits in memory twice, every returned array is aligned (safetensors only aligns data relative to
 * the data section, whose start is 8 + header length), and callers own what they get. No file descriptor is
 * held between calls: each read opens the file, checks it still has the size the header was validated
 * against, and closes it.
 *
 * Data is little-endian (safetensors spec); typed-array views assume a little-endian host, checked here.
 * Source for the format: huggingface/safetensors README ("Format") and `safetensors/src/tensor.rs`.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { SpladeError } from "../util/errors.js";
import { bf16ToF32, f16ToF32 } from "./float-convert.js";
import { parseHeader, parseHeaderLength, type TensorInfo } from "./header.js";

export type { TensorInfo } from "./header.js";

function openForReading(path: string): number {
  try {
    return openSync(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file`, { path, cause: e });
    throw new SpladeError("INVALID_FILE", `${path}: cannot open (${code ?? (e as Error).message})`, { path, cause: e });
  }
}

/** Fills `target` from `fd` at `position`, looping over short reads. */
function readExactly(fd: number, target: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < target.byteLength) {
    const n = readSync(fd, target, done, target.byteLength - done, position + done);
    if (n === 0) {
      throw new SpladeError("INVALID_FILE", `${path}: unexpected end of file at byte ${position + done}`, { path });
    }
    done += n;
  }
}

function withFile<T>(
  path: string,
  expectedSizeBytes: number | undefined,
  body: (fd: number, sizeBytes: number) => T,
): T {
  const fd = openForReading(path);
  try {
    const sizeBytes = fstatSync(fd).size;
    if (expectedSizeBytes !== undefined && sizeBytes !== expectedSizeBytes) {
      throw new SpladeError(
        "INVALID_FILE",
        `${path}: changed on disk since it was opened (${expectedSizeBytes} bytes then, ${sizeBytes} now)`,
        { path },
      );
    }
    return body(fd, sizeBytes);
  } finally {
    closeSync(fd);
  }
}

export class SafetensorsFile {
  private readonly byName: Map<string, TensorInfo>;

  constructor(
    readonly path: string,
    /** In file order (ascending offset). */
    readonly tensors: readonly TensorInfo[],
    /** The header's `__metadata__` (e.g. `{format: "pt"}`), empty when absent. */
    readonly metadata: Readonly<Record<string, string>>,
    readonly sizeBytes: number,
  ) {
    this.byName = new Map(tensors.map((t) => [t.name, t]));
  }

  /** Tensor names in file order. */
  names(): string[] {
    return this.tensors.map((t) => t.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  info(name: string): TensorInfo {
    const info = this.byName.get(name);
    if (info === undefined) {
      const problem = `no tensor named '${name}' (the file has ${this.tensors.length})`;
      throw new SpladeError("NOT_FOUND", `${this.path}: ${problem}`, { path: this.path });
    }
    return info;
  }

  /** The tensor's bytes, as stored (little-endian), in a fresh buffer. */
  raw(name: string): Uint8Array {
    const info = this.info(name);
    const bytes = new Uint8Array(info.byteLength);
    withFile(this.path, this.sizeBytes, (fd) => readExactly(fd, bytes, info.byteOffset, this.path));
    return bytes;
  }

  /** The tensor as float32, row-major: F32 as stored, F16 and BF16 widened exactly. Other dtypes: UNSUPPORTED. */
  float32(name: string): Float32Array {
    const info = this.info(name);
    if (info.dtype !== "F32" && info.dtype !== "F16" && info.dtype !== "BF16") {
      throw new SpladeError(
        "UNSUPPORTED",
        `${this.path}: tensor '${name}' is ${info.dtype}; float32() reads F32, F16 and BF16 (use raw() for the bytes)`,
        { path: this.path },
      );
    }
    const raw = this.raw(name);
    if (info.dtype === "F32") return new Float32Array(raw.buffer, 0, info.byteLength / 4);
    const halves = new Uint16Array(raw.buffer, 0, info.byteLength / 2);
    return info.dtype === "F16" ? f16ToF32(halves) : bf16ToF32(halves);
  }
}

/** Reads and validates the header of the safetensors file at `path` (INVALID_FILE on any inconsistency). */
export function readSafetensors(path: string): SafetensorsFile {
  if (endianness() !== "LE") {
    throw new SpladeError("UNSUPPORTED", `${path}: safetensors data is little-endian, this host is not`, { path });
  }
  return withFile(path, undefined, (fd, sizeBytes) => {
    const prefix = new Uint8Array(8);
    if (sizeBytes >= 8) readExactly(fd, prefix, 0, path);
    const headerLength = parseHeaderLength(prefix, sizeBytes, path);
    const headerBytes = new Uint8Array(headerLength);
    readExactly(fd, headerBytes, 8, path);
    const header = parseHeader(headerBytes, sizeBytes, path);
    return new SafetensorsFile(path, header.tensors, header.metadata, sizeBytes);
  });
}
