/**
 * A disk cache of optimized inference graphs, so that loading a model the second time skips building the
 * graph in TypeScript (reading, transposing and quantizing every weight) and onnxruntime's optimizations:
 * the session reads the cached ORT-format file in place.
 *
 * Key: SHA-256 over everything the graph is a function of: the checkpoint's bytes (model.safetensors,
 * hashed in full), the model config, the graph options, the CPU, the onnxruntime version, and the source of
 * the code that builds graphs (this file's siblings in graph/, model/ and encoder/, so that
 * editing a builder can never serve a stale graph). Entries are written by onnxruntime into a temporary
 * file in the cache folder, flushed to disk and renamed into place, so a reader sees a whole entry or none;
 * an entry that fails to load is deleted and rebuilt. Folder: the `graphCache` option, else $SPLADE_CACHE_DIR,
 * else $XDG_CACHE_HOME/splade-ts/graphs, else ~/.cache/splade-ts/graphs; "off" (or `false`) disables it.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { arch, cpus, homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ort } from "../graph/session.js";

/** Subfolders (next to this file's) holding the code that builds inference graphs. */
const GRAPH_CODE = ["graph", "model", "encoder", "safetensors", "pytorch"];
const HASH_BUFFER_BYTES = 16 << 20;

/** The cache folder to use: an explicit option wins, then the environment; undefined when disabled. */
export function resolveCacheDir(option: string | false | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (option === false) return undefined;
  const chosen = option ?? env.SPLADE_CACHE_DIR;
  if (chosen !== undefined && chosen !== "") return chosen === "off" ? undefined : chosen;
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "splade-ts", "graphs");
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

/** The cache key of a graph built from the checkpoint at `weightsPath` with `description` (config, options). */
export function graphCacheKey(weightsPath: string, description: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify({ weights: hashFile(weightsPath), description, cpu: [arch(), cpus()[0]?.model], ort: ort.env.versions, code: graphCodeFingerprint() }))
    .digest("hex");
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
