/**
 * The zip container of `torch.save` (PyTorch ≥ 1.6): entries `{archive}/data.pkl`, `{archive}/data/{key}`
 * (one per storage), `{archive}/version`, `{archive}/byteorder`. The central directory (zip64 included) is
 * parsed by yauzl, a well-kept reader; what this file adds is *synchronous random access* to entry data once
 * the directory is read: weights are asked for one tensor at a time while a graph is built, so each storage is
 * read from disk on demand (as safetensors/read.ts does) instead of the whole multi-GB archive up front.
 * torch writes entries uncompressed ("stored", PyTorchStreamWriter); deflated ones (a re-zipped archive) are
 * inflated. Every entry's CRC-32 is checked when it is read. Errors name the file.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { crc32, inflateRawSync } from "node:zlib";
import yauzl from "yauzl";
import { SpladeError } from "../util/errors.js";

interface ZipEntry {
  readonly name: string;
  readonly dataStart: number;
  readonly compressedSize: number;
  readonly size: number;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly crc32: number;
}

function invalid(path: string, problem: string, cause?: unknown): SpladeError {
  return new SpladeError("INVALID_FILE", `${path}: ${problem}`, { path, cause });
}

/** Reads the central directory and each entry's local header (where its data starts). */
function readDirectory(path: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(invalid(path, `not a readable zip archive (${openError?.message ?? "unknown error"})`, openError));
      const entries: ZipEntry[] = [];
      const fail = (error: unknown) => {
        zip.close();
        reject(error instanceof SpladeError ? error : invalid(path, `corrupt zip archive (${(error as Error).message})`, error));
      };
      zip.on("error", fail);
      zip.on("end", () => {
        zip.close();
        resolve(entries);
      });
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.isEncrypted()) return fail(invalid(path, `entry '${entry.fileName}' is encrypted`));
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          return fail(invalid(path, `entry '${entry.fileName}' uses compression method ${entry.compressionMethod} (stored or deflated expected)`));
        }
        zip.readLocalFileHeader(entry, { minimal: true }, (headerError, header) => {
          if (headerError) return fail(headerError);
          entries.push({
            name: entry.fileName,
            dataStart: header.fileDataStart,
            compressedSize: entry.compressedSize,
            size: entry.uncompressedSize,
            method: entry.compressionMethod,
            crc32: entry.crc32,
          });
          zip.readEntry();
        });
      });
      zip.readEntry();
    });
  });
}

export class ZipArchive {
  private readonly byName: Map<string, ZipEntry>;

  private constructor(
    readonly path: string,
    entries: ZipEntry[],
    private readonly sizeBytes: number,
  ) {
    this.byName = new Map(entries.map((e) => [e.name, e]));
  }

  static async open(path: string): Promise<ZipArchive> {
    let sizeBytes: number;
    try {
      const fd = openSync(path, "r");
      try {
        sizeBytes = fstatSync(fd).size;
      } finally {
        closeSync(fd);
      }
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file`, { path, cause });
      throw invalid(path, `cannot open (${(cause as Error).message})`, cause);
    }
    return new ZipArchive(path, await readDirectory(path), sizeBytes);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Size in bytes of an entry's uncompressed data. */
  size(name: string): number {
    return this.entry(name).size;
  }

  private entry(name: string): ZipEntry {
    const entry = this.byName.get(name);
    if (entry === undefined) throw invalid(this.path, `the archive has no entry '${name}'`);
    return entry;
  }

  /** An entry's uncompressed bytes, CRC-checked, in a fresh buffer. */
  read(name: string): Uint8Array {
    const entry = this.entry(name);
    const raw = new Uint8Array(entry.compressedSize);
    const fd = openSync(this.path, "r");
    try {
      if (fstatSync(fd).size !== this.sizeBytes) throw invalid(this.path, "changed on disk since it was opened");
      for (let done = 0; done < raw.byteLength; ) {
        const n = readSync(fd, raw, done, raw.byteLength - done, entry.dataStart + done);
        if (n === 0) throw invalid(this.path, `unexpected end of file in entry '${name}'`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    let data = raw;
    if (entry.method === 8) {
      try {
        data = new Uint8Array(inflateRawSync(raw));
      } catch (cause) {
        throw invalid(this.path, `entry '${name}' does not inflate (${(cause as Error).message})`, cause);
      }
    }
    if (data.byteLength !== entry.size) throw invalid(this.path, `entry '${name}' has ${data.byteLength} bytes, the directory says ${entry.size}`);
    if (crc32(data) !== entry.crc32) throw invalid(this.path, `entry '${name}' fails its CRC-32 check (corrupt archive)`);
    return data;
  }
}
