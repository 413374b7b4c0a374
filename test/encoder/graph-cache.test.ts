/**
 * The optimized-graph cache (src/encoder/graph-cache.ts): a hit gives the same vectors without reading the
 * weights, a damaged entry is rebuilt, changed weights get a new entry, and a cache folder that cannot be
 * written never stops a model from loading.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SparseEncoder } from "../../src/encoder/index.js";
import { resolveCacheDir } from "../../src/encoder/graph-cache.js";
import { ModelSession } from "../../src/encoder/model-session.js";
import { loadPipeline } from "../../src/encoder/load-pipeline.js";
import type { SpladePoolingModule, TransformerModule } from "../../src/encoder/pipeline.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { readSafetensors } from "../../src/safetensors/index.js";
import { modelDir } from "../parity/golden.js";

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

test("a cache hit gives the same vectors and never reads the weights", async () => {
  const dir = mkdtempSync(join(tmpdir(), "graph-cache-"));
  try {
    const built = await encode(MODEL, dir);
    assert.equal(entries(dir).length, 1);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no staging file left behind");
    assert.deepEqual(await encode(MODEL, dir), built);
    const [input, pooling] = (await loadPipeline(MODEL)).routes[0].modules as [TransformerModule, SpladePoolingModule];
    const unreadable = { get: () => assert.fail("a cache hit read a weight") };
    const session = await ModelSession.create(input.config, unreadable, {
      pooling: pooling.options,
      normalize: false,
      threads: 1,
      cache: { dir, weightsPath: join(MODEL, "model.safetensors") },
    });
    await session.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a damaged entry is rebuilt, and changed weights get an entry of their own", async () => {
  const dir = mkdtempSync(join(tmpdir(), "graph-cache-"));
  const model = mkdtempSync(join(tmpdir(), "graph-cache-model-"));
  try {
    cpSync(MODEL, model, { recursive: true });
    const built = await encode(model, dir);
    const [entry] = entries(dir);
    const size = statSync(join(dir, entry)).size;
    writeFileSync(join(dir, entry), readFileSync(join(dir, entry)).subarray(0, 1000)); // truncated
    assert.deepEqual(await encode(model, dir), built);
    assert.equal(statSync(join(dir, entry)).size, size, "the damaged entry was replaced");

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
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(model, { recursive: true, force: true });
  }
});

test("a cache folder that cannot be created leaves loading uncached", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "graph-cache-")), "a-file");
  writeFileSync(file, "not a folder");
  try {
    assert.deepEqual(await encode(MODEL, join(file, "graphs")), await encode(MODEL, false));
  } finally {
    rmSync(file, { force: true });
  }
});

test("resolveCacheDir: option, then $SPLADE_CACHE_DIR (\"off\" disables), then $XDG_CACHE_HOME", () => {
  assert.equal(resolveCacheDir(false, { SPLADE_CACHE_DIR: "/x" }), undefined);
  assert.equal(resolveCacheDir("/opt", { SPLADE_CACHE_DIR: "/x" }), "/opt");
  assert.equal(resolveCacheDir(undefined, { SPLADE_CACHE_DIR: "/x" }), "/x");
  assert.equal(resolveCacheDir(undefined, { SPLADE_CACHE_DIR: "off" }), undefined);
  assert.equal(resolveCacheDir(undefined, { XDG_CACHE_HOME: "/c" }), join("/c", "splade-ts", "graphs"));
});
