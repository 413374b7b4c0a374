/**
 * Atomic file replacement: write to a temporary file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A process killed at any moment leaves either the old file or the new one,
 * never a torn mix (POSIX rename is atomic within a file system). A failure of the file system itself
 * (ENOSPC, EACCES, EROFS, a file where a folder should be) comes back as SpladeError IO naming the target.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm, mkdir } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";
import { SpladeError } from "./errors.js";

/** An fs error as SpladeError IO naming `path`; a SpladeError passes through. */
export function ioError(error: unknown, path: string, action = "cannot write"): unknown {
  if (error instanceof SpladeError || !(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== "string") return error;
  return new SpladeError("IO", `${action} ${path}: ${error.message}`, { path, cause: error });
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Best-effort removal of a temporary: a failure here must not hide the error that led to it. */
function removeTemporarySync(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // Nothing was created there (e.g. the folder does not exist or is a file).
  }
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
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(tmp, "w", 0o644);
    for (const chunk of Array.isArray(chunks) ? chunks : [chunks]) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    removeTemporarySync(tmp);
    throw ioError(e, path);
  }
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
    const tmp = tempPathFor(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      return new AtomicFileWriter(path, tmp, await open(tmp, "w", 0o644));
    } catch (e) {
      throw ioError(e, path);
    }
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    try {
      if (typeof chunk === "string") await this.handle.write(chunk, null, "utf8");
      else await this.handle.write(chunk);
    } catch (e) {
      throw ioError(e, this.path);
    }
  }

  async commit(): Promise<void> {
    try {
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tmp, this.path);
    } catch (e) {
      await this.abort();
      throw ioError(e, this.path);
    }
    fsyncDirSync(dirname(this.path));
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tmp, { force: true }).catch(() => undefined);
  }
}
