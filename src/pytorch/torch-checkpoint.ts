/**
 * A PyTorch `pytorch_model.bin` (the zip format of `torch.save`, PyTorch ≥ 1.6) read as a tensor store:
 * `{archive}/data.pkl` is unpickled under the restrictions of unpickler.ts into {name → tensor view of a
 * storage}, and each tensor is read from its storage entry `{archive}/data/{key}` on demand (zip-archive.ts).
 * Views are honoured as torch defines them — element offset, shape and stride into the storage — so tied
 * weights that share one storage (`cls.predictions.decoder.weight` and the word embeddings of a
 * `model.state_dict()`) read the same bytes, and a non-contiguous view is gathered element by element.
 * The legacy (pre-1.6, non-zip) format and big-endian archives are UNSUPPORTED; every refusal names the file.
 * Source: torch `serialization.py` (`_save`, `_load`, `_get_restore_location`), `_utils.py` (`_rebuild_tensor_v2`).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { SpladeError } from "../util/errors.js";
import { PickleDict, STORAGE_DTYPES, unpickle, type TensorRef } from "./unpickler.js";
import { ZipArchive } from "./zip-archive.js";

const ELEMENT_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

function invalid(path: string, problem: string): SpladeError {
  return new SpladeError("INVALID_FILE", `${path}: ${problem}`, { path });
}

/** The first bytes of a zip file ("PK\x03\x04"); torch's legacy format starts with a pickle instead. */
function startsLikeZip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  } finally {
    closeSync(fd);
  }
}

function widen(bytes: Uint8Array, dtype: string, path: string, name: string): Float32Array {
  const aligned = bytes.byteOffset % ELEMENT_BYTES[dtype] === 0 ? bytes : bytes.slice();
  if (dtype === "F32") return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  if (dtype === "F64") return Float32Array.from(new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8));
  if (dtype === "F16" || dtype === "BF16") {
    const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
    const out = new Float32Array(halves.length);
    const bits = new Uint32Array(out.buffer);
    if (dtype === "BF16") for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
    else for (let i = 0; i < halves.length; i++) out[i] = f16(halves[i]);
    return out;
  }
  throw new SpladeError("UNSUPPORTED", `${path}: tensor '${name}' is ${dtype}; only floating-point tensors are read as weights`, { path });
}

/** IEEE half → float (exact). */
function f16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export class TorchCheckpoint {
  private constructor(
    readonly path: string,
    private readonly archive: ZipArchive,
    private readonly prefix: string,
    private readonly tensors: Map<string, TensorRef>,
  ) {}

  /** Reads the archive's directory and its data.pkl; tensor data stays on disk until asked for. */
  static async open(path: string): Promise<TorchCheckpoint> {
    let zip: boolean;
    try {
      zip = startsLikeZip(path);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file`, { path, cause });
      throw invalid(path, `cannot be read (${(cause as Error).message})`);
    }
    if (!zip) {
      throw new SpladeError("UNSUPPORTED", `${path}: not a zip archive; the legacy torch.save format (PyTorch < 1.6) is not read — re-save it with safetensors`, { path });
    }
    const archive = await ZipArchive.open(path);
    const pickles = archive.names().filter((n) => /^[^/]+\/data\.pkl$/.test(n));
    if (pickles.length !== 1) throw invalid(path, `expected one '<archive>/data.pkl' entry, found ${pickles.length}`);
    const prefix = pickles[0].slice(0, -"data.pkl".length);
    const byteorder = archive.has(`${prefix}byteorder`) ? new TextDecoder().decode(archive.read(`${prefix}byteorder`)).trim() : "little";
    if (byteorder !== "little") throw new SpladeError("UNSUPPORTED", `${path}: byte order '${byteorder}' (only little-endian archives are read)`, { path });
    const root = unpickle(archive.read(pickles[0]), path);
    if (!(root instanceof PickleDict)) throw invalid(path, "data.pkl is not a state dict (a dict of tensors)");
    const tensors = new Map<string, TensorRef>();
    for (const [name, value] of root.entries) {
      if (typeof name !== "string") throw invalid(path, "a state dict key is not a string");
      if (typeof value !== "object" || value === null || !("kind" in value) || value.kind !== "tensor") throw invalid(path, `state dict entry '${name}' is not a tensor`);
      const storageEntry = `${prefix}data/${value.storage.key}`;
      if (!archive.has(storageEntry)) throw invalid(path, `tensor '${name}' refers to storage '${value.storage.key}', which the archive lacks`);
      const elementBytes = ELEMENT_BYTES[STORAGE_DTYPES[value.storage.storageClass]];
      if (archive.size(storageEntry) !== value.storage.numel * elementBytes) {
        throw invalid(path, `storage '${value.storage.key}' has ${archive.size(storageEntry)} bytes, expected ${value.storage.numel} × ${elementBytes}`);
      }
      const last = value.shape.reduce((end, dim, i) => (dim === 0 ? -Infinity : end + (dim - 1) * value.stride[i]), value.offset);
      if (last >= value.storage.numel) throw invalid(path, `tensor '${name}' reaches past the end of its storage`);
      tensors.set(name, value);
    }
    return new TorchCheckpoint(path, archive, prefix, tensors);
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  private tensor(name: string): TensorRef {
    const t = this.tensors.get(name);
    if (t === undefined) throw new SpladeError("NOT_FOUND", `${this.path}: no tensor named '${name}' (the file has ${this.tensors.size})`, { path: this.path });
    return t;
  }

  info(name: string): { dtype: string; shape: readonly number[] } {
    const t = this.tensor(name);
    return { dtype: STORAGE_DTYPES[t.storage.storageClass], shape: t.shape };
  }

  /** The tensor as float32, row-major (F32, F16, BF16, F64 storages). */
  float32(name: string): Float32Array {
    const t = this.tensor(name);
    const dtype = STORAGE_DTYPES[t.storage.storageClass];
    const size = ELEMENT_BYTES[dtype];
    const storage = this.archive.read(`${this.prefix}data/${t.storage.key}`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const contiguous = t.shape.every((_, i) => t.shape[i] === 1 || t.stride[i] === t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    if (contiguous) return widen(storage.subarray(t.offset * size, (t.offset + count) * size), dtype, this.path, name);
    // A strided view: gather its elements in row-major order.
    const gathered = new Uint8Array(count * size);
    const index = new Array<number>(t.shape.length).fill(0);
    for (let k = 0; k < count; k++) {
      const element = t.offset + index.reduce((sum, j, d) => sum + j * t.stride[d], 0);
      gathered.set(storage.subarray(element * size, (element + 1) * size), k * size);
      for (let d = t.shape.length - 1; d >= 0 && ++index[d] === t.shape[d]; d--) index[d] = 0;
    }
    return widen(gathered, dtype, this.path, name);
  }
}
