/**
 * resolveModelPath: local folders pass through (required files checked); Hub ids become a snapshot folder
 * holding the requested files, all from one commit, optional files skipped when absent, offline included.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveModelPath, type FileRequest } from "../../src/hub/resolve.js";
import { startHubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const DISTILBERT = "test/fixtures/tiny-distilbert-splade";

/** What a sentence-transformers SPLADE loader asks for. */
const FILES: FileRequest[] = [
  { file: "modules.json", optional: true },
  "config.json",
  "model.safetensors",
  { file: "tokenizer.json", optional: true },
  { file: "vocab.txt", optional: true },
  { file: "onnx/model.onnx", optional: true },
  "1_SpladePooling/config.json",
];

test("a local folder is returned as is; a missing required file → FILE_NOT_FOUND", async () => {
  assert.equal(await resolveModelPath(DISTILBERT, { files: FILES }), DISTILBERT);
  await assert.rejects(resolveModelPath(DISTILBERT, { files: ["pytorch_model.bin"] }), {
    code: "FILE_NOT_FOUND",
    message: /missing 'pytorch_model\.bin'/,
  });
  await assert.rejects(resolveModelPath("./no/such/folder", { files: FILES }), { code: "FILE_NOT_FOUND", message: /no such folder/ });
  await assert.rejects(resolveModelPath(join(DISTILBERT, "config.json"), { files: FILES }), { code: "INVALID_ARGUMENT" });
});

test("a Hub id → the snapshot folder with every present file, from one commit; offline afterwards", async (t) => {
  const hub = await startHubServer({ models: { "org/tiny": DISTILBERT } });
  const cacheDir = tempDir("hub-resolve-");
  t.after(() => hub.close());
  const commit = hub.commitOf("org/tiny");
  const dir = await resolveModelPath("org/tiny", { endpoint: hub.url, cacheDir, files: FILES });
  assert.equal(dir, join(cacheDir, "models--org--tiny", "snapshots", commit));
  for (const file of ["modules.json", "config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "1_SpladePooling/config.json"]) {
    assert.deepEqual(readFileSync(join(dir, file)), readFileSync(join(DISTILBERT, file)), file);
  }
  assert.ok(!existsSync(join(dir, "onnx")));
  const resolvePaths = hub.hits.filter((h) => h.path.includes("/resolve/")).map((h) => h.path);
  assert.equal(resolvePaths[0], "/org/tiny/resolve/main/modules.json");
  assert.ok(resolvePaths.slice(1).every((p) => p.startsWith(`/org/tiny/resolve/${commit}/`)), "later files pinned to the commit");

  const hits = hub.hits.length;
  assert.equal(await resolveModelPath("org/tiny", { cacheDir, offline: true, files: FILES }), dir);
  assert.equal(hub.hits.length, hits);
  await assert.rejects(resolveModelPath("org/other", { cacheDir, offline: true, files: FILES }), { code: "OFFLINE", message: /org\/other/ });
});
