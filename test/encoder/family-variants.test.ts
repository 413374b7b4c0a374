/**
 * Variants of the family folders that real checkpoints come in, each a copy of a fixture with one change:
 * v5.4+/v6 class paths, route_mappings and default-route rules of router_config.json, the SparseAutoEncoder
 * matrix under `encoder.weight`, a Normalize module after it, and max_active_dims on CSR.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder } from "../../src/encoder/index.js";
import { readSafetensors, writeSafetensors } from "../../src/safetensors/index.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { dot } from "../../src/sparse/ops.js";
import { modelDir } from "../parity/golden.js";
import { copiedFolder } from "../helpers/temp-dir.js";

const TEXTS = ["what causes ocean tides", "The Moon's gravity pulls on the oceans, raising tides twice a day."];

function editJson(path: string, edit: (json: any) => void): void {
  const json = JSON.parse(readFileSync(path, "utf8"));
  edit(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
}

async function withEncoder<T>(dir: string, body: (e: SparseEncoder) => Promise<T>): Promise<T> {
  const encoder = await SparseEncoder.fromPretrained(dir, { threads: 1 });
  try {
    return await body(encoder);
  } finally {
    await encoder.release();
  }
}

const both = (e: SparseEncoder) => Promise.all([e.encodeQuery(TEXTS), e.encodeDocument(TEXTS), e.encode(TEXTS)]);

test("v5.4+/v6 class paths (base.modules.router.Router, sparse_encoder.modules.*) load the same model", async () => {
  const dir = copiedFolder(modelDir("tiny-inference-free-splade"));
  editJson(join(dir, "modules.json"), (m) => (m[0].type = "sentence_transformers.base.modules.router.Router"));
  editJson(join(dir, "router_config.json"), (c) => {
    c.types.query_0_SparseStaticEmbedding = "sentence_transformers.sparse_encoder.modules.sparse_static_embedding.SparseStaticEmbedding";
    c.types.document_0_MLMTransformer = "sentence_transformers.sparse_encoder.modules.MLMTransformer";
    c.types.document_1_SpladePooling = "sentence_transformers.sparse_encoder.modules.splade_pooling.SpladePooling";
  });
  assert.deepEqual(await withEncoder(dir, both), await withEncoder(modelDir("tiny-inference-free-splade"), both));
});

test("router_config.json: route_mappings win over the task name; allow_empty_key picks the first route; no default → a task is needed", async () => {
  const original = await withEncoder(modelDir("tiny-asym-splade"), both);
  const mapped = copiedFolder(modelDir("tiny-asym-splade"));
  editJson(join(mapped, "router_config.json"), (c) => (c.parameters.route_mappings = { "('query', None)": "document", "(None, 'text')": "query" }));
  const [query, document, plain] = await withEncoder(mapped, both);
  // encodeQuery still prepends the "query: " prompt, but takes the document route.
  assert.deepEqual(query, await withEncoder(modelDir("tiny-asym-splade"), (e) => e.encodeDocument(TEXTS, { prompt: "query: " })));
  assert.deepEqual(document, await withEncoder(modelDir("tiny-asym-splade"), (e) => e.encode(TEXTS, { task: "query" })), "(None, 'text') sends document tasks to the query route");
  assert.deepEqual(plain, document);

  const firstRoute = copiedFolder(modelDir("tiny-asym-splade"));
  editJson(join(firstRoute, "router_config.json"), (c) => (c.parameters = { default_route: null, allow_empty_key: true }));
  assert.deepEqual((await withEncoder(firstRoute, both))[2], await withEncoder(modelDir("tiny-asym-splade"), (e) => e.encode(TEXTS, { task: "query" })));

  const noDefault = copiedFolder(modelDir("tiny-asym-splade"));
  editJson(join(noDefault, "router_config.json"), (c) => (c.parameters = { default_route: null, allow_empty_key: false }));
  await withEncoder(noDefault, async (e) => {
    await assert.rejects(e.encode(TEXTS), { code: "INVALID_ARGUMENT", message: /router_config\.json: no task was given/ });
    assert.deepEqual(await e.encodeQuery(TEXTS), original[0]);
  });
});

test("CSR: the matrix under encoder.weight, a trailing Normalize, and max_active_dims", async () => {
  const base = await withEncoder(modelDir("tiny-csr"), (e) => e.encode(TEXTS));
  const renamed = copiedFolder(modelDir("tiny-csr"));
  const path = join(renamed, "2_SparseAutoEncoder", "model.safetensors");
  const file = readSafetensors(path);
  writeSafetensors(path, file.tensors.map((x) => ({ name: x.name === "decoder.linear.weight" ? "encoder.weight" : x.name, dtype: x.dtype, shape: x.shape, data: file.raw(x.name) })));
  assert.deepEqual(await withEncoder(renamed, (e) => e.encode(TEXTS)), base);

  const normalized = copiedFolder(modelDir("tiny-csr"));
  editJson(join(normalized, "modules.json"), (m) => m.push({ idx: 3, name: "3", path: "3_Normalize", type: "sentence_transformers.models.Normalize" }));
  cpSync(join(normalized, "1_Pooling"), join(normalized, "3_Normalize"), { recursive: true });
  const unit = await withEncoder(normalized, (e) => e.encode(TEXTS));
  unit.forEach((v: SparseVector, i) => {
    assert.deepEqual(v.indices, base[i].indices);
    assert.ok(Math.abs(dot(v, v) - 1) < 1e-5);
  });

  const top4 = await withEncoder(modelDir("tiny-csr"), (e) => e.encode(TEXTS, { maxActiveDims: 4 }));
  top4.forEach((v, i) => {
    assert.equal(v.indices.length, 4);
    const largest = Array.from(base[i].values).sort((a, b) => b - a).slice(0, 4);
    assert.deepEqual(Array.from(v.values).sort((a, b) => b - a), largest);
  });
});
