/**
 * A disk cache of optimized inference graphs, so that loading a model the second time skips building the
 * graph in TypeScript (reading, transposing and quantizing every weight) and onnxruntime's optimizations:
 * the session reads the cached ORT-format file in place.
 *
 * Key: SHA-256 over everything the graph is a function of: the checkpoint's bytes (model.safetensors,
 * hashed in full once per version of the file, see fileDigest), the model config, the graph options, the CPU, the onnxruntime version, and the source of
 * the code that builds graphs (this file's siblings in graph/, model/ and encoder/, so that
 * editing a builder can never serve a stale graph). Entries are written by onnxruntime into a temporary
 * file in the cache folder, flushed to disk and renamed into place, so a reader sees a whole entry or none;
 * an entry that fails to load is deleted and rebuilt. Folder: see resolveCacheDir. The folder keeps at most
 * MAX_CACHE_BYTES of entries: the least recently used go first.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { arch, cpus, homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ort } from "../graph/session.js";

/** Subfolders (next to this file's) holding the code that builds inference graphs. */
const GRAPH_CODE = ["graph", "model", "encoder", "safetensors", "pytorch"];
const HASH_BUFFER_BYTES = 16 << 20;
/** Total size of cached graphs kept in a folder (a float32 DistilBERT-base graph is about 290 MB). */
export const MAX_CACHE_BYTES = 4 * 2 ** 30;

/**
 * The CLI's cache folder (undefined: disabled) from its environment: $SPLADE_CACHE_DIR ("off" disables),
 * else $XDG_CACHE_HOME/splade-ts/graphs, else ~/.cache/splade-ts/graphs. Library code never reads the
 * environment: a library caller passes the folder as the `graphCache` option (no cache without one).
 */
export function resolveCacheDir(env: Record<string, string | undefined>): string | undefined {
  const chosen = env.SPLADE_CACHE_DIR;
  if (chosen !== undefined && chosen !== "") return chosen === "off" ? undefined : chosen;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "splade-ts", "graphs");
}

/** SHA-256 of a file's bytes, read in blocks. */
export function hashFile(path: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(Math.min(HASH_BUFFER_BYTES, Math.max(1, statSync(path).size)));
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

let codeFingerprint: string | undefined;

/** Hash of the graph-building sources as they are on disk (compiled .js or .ts under tsx). */
function graphCodeFingerprint(): string {
  if (codeFingerprint !== undefined) return codeFingerprint;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash("sha256");
  for (const folder of GRAPH_CODE) {
    const dir = join(root, folder);
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(js|ts)$/.test(entry.name)) hash.update(path.slice(root.length)).update(readFileSync(path));
      }
    };
    if (existsSync(dir)) walk(dir);
  }
  return (codeFingerprint = hash.digest("hex"));
}

/** Where the digest of the file at `path`, as it is now, is remembered in `dir` (see fileDigest). */
function digestRecord(path: string, dir: string): string {
  const s = statSync(path, { bigint: true });
  const identity = createHash("sha256").update(`${path}\0${s.dev}\0${s.ino}\0${s.size}\0${s.ctimeNs}\0${s.mtimeNs}`).digest("hex");
  return join(dir, "digests", identity);
}

function readRecord(record: string): string | undefined {
  try {
    const digest = readFileSync(record, "utf8");
    if (/^[0-9a-f]{64}$/.test(digest)) return digest;
  } catch {
    // not recorded yet
  }
  return undefined;
}

function writeRecord(record: string, digest: string): string {
  try {
    mkdirSync(dirname(record), { recursive: true });
    const staged = `${record}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(staged, digest);
    renameSync(staged, record);
  } catch {
    // an unwritable cache only costs the hashing next time
  }
  return digest;
}

/** The digest fileDigest remembers for the file at `path` as it is now, or undefined (it would hash). */
export function recordedDigest(path: string, dir: string): string | undefined {
  return readRecord(digestRecord(path, dir));
}

/**
 * SHA-256 of the file at `path`, remembered in `dir` under its identity (device, inode, size, change time
 * in nanoseconds: any write to the file moves its ctime, which no user call can set back), as git's index
 * remembers which files it need not hash again.
 */
export function fileDigest(path: string, dir: string): string {
  const record = digestRecord(path, dir);
  return readRecord(record) ?? writeRecord(record, hashFile(path));
}

/** hashFile in a worker thread (Node built-ins only, so it runs as plain CommonJS wherever this module runs). */
const HASH_WORKER = `
const { createHash } = require("node:crypto");
const { closeSync, openSync, readSync } = require("node:fs");
const { parentPort, workerData } = require("node:worker_threads");
const hash = createHash("sha256");
const buffer = Buffer.allocUnsafe(${HASH_BUFFER_BYTES});
const fd = openSync(workerData, "r");
try {
  for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) hash.update(buffer.subarray(0, n));
} finally {
  closeSync(fd);
}
parentPort.postMessage(hash.digest("hex"));`;

/**
 * fileDigest with the hashing (a quarter of a second per 250 MB) on another thread, for a caller that has
 * other work meanwhile; hashes on this thread if no worker can start.
 */
export async function fileDigestAsync(path: string, dir: string): Promise<string> {
  const record = digestRecord(path, dir);
  const known = readRecord(record);
  if (known !== undefined) return known;
  const digest = await new Promise<string>((resolve) => {
    try {
      const worker = new Worker(HASH_WORKER, { eval: true, workerData: path });
      let answered = false;
      worker.once("message", (hex: string) => ((answered = true), resolve(hex)));
      worker.once("error", () => {}); // 'exit' follows
      worker.once("exit", () => answered || resolve(hashFile(path)));
    } catch {
      resolve(hashFile(path));
    }
  });
  return writeRecord(record, digest);
}

/** The cache key of a graph built from a checkpoint with SHA-256 `digest` and `description` (config, options). */
export function graphCacheKeyOf(digest: string, description: unknown): string {
  const parts = { weights: digest, description, cpu: [arch(), cpus()[0]?.model], ort: ort.env.versions, code: graphCodeFingerprint() };
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

export interface CacheEntry {
  /** Where the entry lives (or will, once committed). */
  path: string;
}

export function cacheEntry(dir: string, key: string): CacheEntry {
  return { path: join(dir, `${key}.ort`) };
}

/** The entry's bytes, or undefined when there is none. */
export function readEntry(entry: CacheEntry): Uint8Array | undefined {
  try {
    return readFileSync(entry.path);
  } catch {
    return undefined;
  }
}

/** Marks an entry as just used (eviction goes by modification time). */
export function touchEntry(entry: CacheEntry): void {
  try {
    const now = new Date();
    utimesSync(entry.path, now, now);
  } catch {
    // a read-only cache still serves its entries
  }
}

/** A staging file this old was left by a process that ended while writing (graph-cache-writer.ts). */
const STALE_STAGING_MS = 3600_000;

/**
 * Removes the least recently used entries beyond `maxBytes` in total (never the most recent one), and staging
 * files older than an hour (a process that exited while its entry was being written leaves one).
 */
export function evictEntries(dir: string, maxBytes = MAX_CACHE_BYTES): void {
  try {
    for (const f of readdirSync(dir).filter((name) => name.endsWith(".tmp"))) {
      if (Date.now() - statSync(join(dir, f)).mtimeMs > STALE_STAGING_MS) rmSync(join(dir, f), { force: true });
    }
    const entries = readdirSync(dir)
      .filter((f) => f.endsWith(".ort"))
      .map((f) => ({ path: join(dir, f), stat: statSync(join(dir, f)) }))
      .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs);
    let total = 0;
    entries.forEach((e, i) => {
      total += e.stat.size;
      if (i > 0 && total > maxBytes) rmSync(e.path, { force: true });
    });
  } catch {
    // eviction is best effort
  }
}

/** Removes an entry that could not be loaded. */
export function dropEntry(entry: CacheEntry): void {
  rmSync(entry.path, { force: true });
}

/** A fresh temporary path in the entry's folder (created if needed), or undefined if it is not writable. */
export function stagingPath(entry: CacheEntry): string | undefined {
  try {
    mkdirSync(dirname(entry.path), { recursive: true });
    return `${entry.path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  } catch {
    return undefined;
  }
}

/** Flushes the staged file and renames it into place; a failure leaves no entry (and no staged file). */
export function commitEntry(staged: string, entry: CacheEntry): void {
  try {
    const fd = openSync(staged, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(staged, entry.path);
    const dirFd = openSync(dirname(entry.path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    rmSync(staged, { force: true });
  }
}
