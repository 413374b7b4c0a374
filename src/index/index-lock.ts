/**
 * One writer at a time: `index.lock`, created exclusively and holding the writer's pid. A lock whose process
 * no longer exists (a writer that was killed) is stale and is taken over; readers never lock (they read
 * whatever the manifest publishes, which is always complete).
 */
import { openSync, closeSync, existsSync, readFileSync, rmSync, writeSync, mkdirSync } from "node:fs";
import { join } from "node:path";
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

/** Runs `fn` holding the directory's writer lock; `create` makes the directory when it does not exist. */
export async function withIndexLock<T>(dir: string, fn: () => Promise<T> | T, options: { create?: boolean } = {}): Promise<T> {
  if (options.create) mkdirSync(dir, { recursive: true });
  else if (!existsSync(join(dir, MANIFEST_FILE))) throw new SpladeError("FILE_NOT_FOUND", `${dir}: no index here (cannot read ${MANIFEST_FILE})`, { path: dir });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw error;
      const holder = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(holder) && (holder === process.pid || processExists(holder))) {
        throw new SpladeError("INVALID_ARGUMENT", `${dir}: the index is being written by process ${holder} (${LOCK_FILE}); try again when it finishes`, { path });
      }
      rmSync(path, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
