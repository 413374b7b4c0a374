/**
 * Atomic file replacement: write to a temporary file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A process killed at any moment leaves either the old file or the new one,
 * never a torn mix (POSIX rename is atomic within a file system).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm, mkdir } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `chunks` to `path` atomically (synchronously). */
export function writeFileAtomicSync(path: string, chunks: Uint8Array | string | Array<Uint8Array | string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, "w", 0o644);
  try {
    for (const chunk of Array.isArray(chunks) ? chunks : [chunks]) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDirSync(dirname(path));
}

/**
 * Streams into a temporary file and renames it over `path` on `commit()`; `abort()` removes the temporary.
 * For outputs too large to hold in memory (encoded corpora, downloads).
 */
export class AtomicFileWriter {
  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly handle: import("node:fs/promises").FileHandle,
  ) {}

  static async open(path: string): Promise<AtomicFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = tempPathFor(path);
    return new AtomicFileWriter(path, tmp, await open(tmp, "w", 0o644));
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    if (typeof chunk === "string") await this.handle.write(chunk, null, "utf8");
    else await this.handle.write(chunk);
  }

  async commit(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.tmp, this.path);
    fsyncDirSync(dirname(this.path));
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}
