/**
 * One writer at a time: `index.lock`, created exclusively and holding the writer's pid. A lock whose process
 * no longer exists (a writer that was killed) is stale and is taken over; readers never lock (they read
 * whatever the manifest publishes, which is always complete).
 * A long-lived writer (the HTTP server) holds the lock for its whole life (holdIndexLock); its own writes,
 * which go through withIndexLock like every write, then run under the held lock, and other processes are
 * refused for as long as it holds it.
 */
import { openSync, closeSync, existsSync, readFileSync, rmSync, writeSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { SpladeError } from "../util/errors.js";
import { MANIFEST_FILE } from "./manifest.js";

export const LOCK_FILE = "index.lock";

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Directories whose lock this process holds through holdIndexLock. */
const held = new Set<string>();

function acquire(dir: string, path: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw error;
      const holder = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(holder) && (holder === process.pid || processExists(holder))) {
        throw new SpladeError("INVALID_ARGUMENT", `${dir}: the index is being written by process ${holder} (${LOCK_FILE}); try again when it finishes`, { path });
      }
      rmSync(path, { force: true });
    }
  }
}

function checkIndexExists(dir: string): void {
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new SpladeError("FILE_NOT_FOUND", `${dir}: no index here (cannot read ${MANIFEST_FILE})`, { path: dir });
}

/** Runs `fn` holding the directory's writer lock; `create` makes the directory when it does not exist. */
export async function withIndexLock<T>(dir: string, fn: () => Promise<T> | T, options: { create?: boolean } = {}): Promise<T> {
  if (options.create) mkdirSync(dir, { recursive: true });
  else checkIndexExists(dir);
  if (held.has(resolve(dir))) return await fn();
  const path = join(dir, LOCK_FILE);
  acquire(dir, path);
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}

export interface HeldIndexLock {
  readonly dir: string;
  /** Removes the lock file; idempotent. */
  release(): void;
}

/**
 * Takes the writer lock of an existing index and keeps it until release(). Writes from this process then run
 * under it; other writers (processes, or a second holder in this process) are refused.
 */
export function holdIndexLock(dir: string): HeldIndexLock {
  checkIndexExists(dir);
  const key = resolve(dir);
  const path = join(dir, LOCK_FILE);
  if (held.has(key)) throw new SpladeError("INVALID_ARGUMENT", `${dir}: the index lock is already held by this process`, { path });
  acquire(dir, path);
  held.add(key);
  return {
    dir,
    release() {
      if (!held.delete(key)) return;
      rmSync(path, { force: true });
    },
  };
}
