/**
 * The optimized-graph cache (src/encoder/graph-cache.ts): a hit gives the same vectors without reading the
 * weights, a damaged entry is rebuilt, changed weights get a new entry, and a cache folder that cannot be
 * written never stops a model from loading; checkpoint digests are remembered per file version, and the
 * folder is kept within its size limit, least recently used first.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { SparseEncoder } from "../../src/encoder/index.js";
import { evictEntries, fileDigest, fileDigestAsync, hashFile, recordedDigest, resolveCacheDir, touchEntry } from "../../src/encoder/graph-cache.js";
import { ModelSession } from "../../src/encoder/model-session.js";
import { loadPipeline } from "../../src/encoder/load-pipeline.js";
import type { SpladePoolingModule, TransformerModule } from "../../src/encoder/pipeline.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { readSafetensors } from "../../src/safetensors/index.js";
import { modelDir } from "../parity/golden.js";
import { tempDir } from "../helpers/temp-dir.js";

const TEXTS = ["the quick brown fox", "a tiny splade model with random weights encodes this sentence", "x"];
const MODEL = modelDir("tiny-distilbert-splade");

async function encode(model: string, graphCache: string | false): Promise<SparseVector[]> {
  const encoder = await SparseEncoder.fromPretrained(model, { threads: 1, graphCache });
  try {
    return await encoder.encodeDocument(TEXTS);
  } finally {
    await encoder.release();
  }
}

const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".ort"));

/** Opens `model` through the cache in `dir` with weights that fail when read: passes only on a complete entry. */
async function assertCacheHit(model: string, dir: string): Promise<void> {
  const [input, pooling] = (await loadPipeline(model)).routes[0].modules as [TransformerModule, SpladePoolingModule];
  const unreadable = { get: () => assert.fail("a cache hit read a weight") };
  const session = await ModelSession.create(input.config, unreadable, {
    pooling: pooling.options,
    normalize: false,
    threads: 1,
    cache: { dir, weightsPath: join(model, "model.safetensors") },
  });
  await session.release();
}

test("a cache hit gives the same vectors and never reads the weights", async () => {
  const dir = tempDir("graph-cache-");
  const built = await encode(MODEL, dir);
  assert.equal(entries(dir).length, 1);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no staging file left behind");
  assert.deepEqual(await encode(MODEL, dir), built);
  await assertCacheHit(MODEL, dir);
});

test("a damaged entry is rebuilt, and changed weights get an entry of their own", async () => {
  const dir = tempDir("graph-cache-");
  const model = tempDir("graph-cache-model-");
  cpSync(MODEL, model, { recursive: true });
  const built = await encode(model, dir);
  const [entry] = entries(dir);
  writeFileSync(join(dir, entry), readFileSync(join(dir, entry)).subarray(0, 1000)); // truncated
  assert.deepEqual(await encode(model, dir), built);
  // Replaced by a complete entry. (Not compared by size: onnxruntime's saved graph varies by a few bytes
  // between builds of the same model, its serialization order not being deterministic.)
  assert.ok(statSync(join(dir, entry)).size > 1000, "the damaged entry was replaced");
  await assertCacheHit(model, dir);

  // Change one weight: same file size, new bytes.
  const path = join(model, "model.safetensors");
  const info = readSafetensors(path).info("vocab_projector.bias");
  const bytes = readFileSync(path);
  bytes.writeFloatLE(bytes.readFloatLE(info.byteOffset) + 100, info.byteOffset); // [PAD] becomes active
  writeFileSync(path, bytes);
  const changed = await encode(model, dir);
  assert.equal(entries(dir).length, 2);
  assert.notDeepEqual(changed, built);
  assert.deepEqual(changed, await encode(model, false), "the new entry matches an uncached build");
});

test("a cache folder that cannot be created leaves loading uncached", async () => {
  const file = join(tempDir("graph-cache-"), "a-file");
  writeFileSync(file, "not a folder");
  assert.deepEqual(await encode(MODEL, join(file, "graphs")), await encode(MODEL, false));
});

test("resolveCacheDir (the CLI's folder): $SPLADE_CACHE_DIR (\"off\" disables), then $XDG_CACHE_HOME, then ~/.cache", () => {
  assert.equal(resolveCacheDir({ SPLADE_CACHE_DIR: "/x", XDG_CACHE_HOME: "/c" }), "/x");
  assert.equal(resolveCacheDir({ SPLADE_CACHE_DIR: "off" }), undefined);
  assert.equal(resolveCacheDir({ XDG_CACHE_HOME: "/c" }), join("/c", "splade-ts", "graphs"));
  assert.equal(resolveCacheDir({ SPLADE_CACHE_DIR: "" }), join(homedir(), ".cache", "splade-ts", "graphs"));
});

test("fileDigest: the SHA-256 of the file, remembered per version of it; a rewrite is hashed again", async () => {
  const dir = tempDir("graph-cache-");
  const file = join(dir, "weights.bin");
  writeFileSync(file, "first version");
  const first = fileDigest(file, join(dir, "cache"));
  assert.equal(first, hashFile(file));
  assert.equal(readdirSync(join(dir, "cache", "digests")).length, 1);
  assert.equal(fileDigest(file, join(dir, "cache")), first, "a second call answers from the record");
  writeFileSync(file, "other version"); // same size, same inode
  const second = fileDigest(file, join(dir, "cache"));
  assert.equal(second, hashFile(file));
  assert.notEqual(second, first);
  // A record that is not a digest is ignored, never trusted.
  for (const r of readdirSync(join(dir, "cache", "digests"))) writeFileSync(join(dir, "cache", "digests", r), "garbage");
  assert.equal(fileDigest(file, join(dir, "cache")), second);
  // The worker-thread variant hashes the same bytes and remembers them the same way.
  writeFileSync(file, "third version, hashed on another thread");
  assert.equal(recordedDigest(file, join(dir, "cache")), undefined);
  const third = await fileDigestAsync(file, join(dir, "cache"));
  assert.equal(third, hashFile(file));
  assert.equal(recordedDigest(file, join(dir, "cache")), third);
  assert.equal(fileDigest(file, join(dir, "cache")), third);
});

test("evictEntries keeps the most recently used entries within the size limit, and always the newest; abandoned staging files go", () => {
  const dir = tempDir("graph-cache-");
  const t0 = Date.now() / 1000;
  ["a", "b", "c", "d"].forEach((name, i) => {
    const path = join(dir, `${name}.ort`);
    writeFileSync(path, Buffer.alloc(100));
    utimesSync(path, t0 - 100 + i, t0 - 100 + i); // a oldest, d newest
  });
  touchEntry({ path: join(dir, "a.ort") }); // a used just now
  writeFileSync(join(dir, "note.txt"), Buffer.alloc(1000)); // not an entry
  for (const [name, age] of [["x.ort.1-ab.tmp", 7200], ["y.ort.2-cd.tmp", 60]] as const) {
    writeFileSync(join(dir, name), "staged");
    utimesSync(join(dir, name), t0 - age, t0 - age);
  }
  evictEntries(dir, 250);
  assert.deepEqual(readdirSync(dir).sort(), ["a.ort", "d.ort", "note.txt", "y.ort.2-cd.tmp"], "an abandoned staging file goes, a recent one (being written) stays");
  rmSync(join(dir, "y.ort.2-cd.tmp"));
  evictEntries(dir, 10);
  assert.deepEqual(readdirSync(dir).sort(), ["a.ort", "note.txt"]);
});
