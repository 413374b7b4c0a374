/**
 * Hub ids of every family, against the local Hub stand-in (test/helpers/hub-server.ts): the download follows
 * the model's layout — router_config.json, route sub-folders with their own tokenizers and weights, the
 * SparseAutoEncoder folder, sharded safetensors (index + shards), pytorch_model.bin — and the cached snapshot
 * encodes exactly as the local folder does, then again offline without a request.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder, type FromPretrainedOptions } from "../../src/encoder/index.js";
import { startHubServer } from "../helpers/hub-server.js";
import { modelDir } from "../parity/golden.js";
import { tempDir } from "../helpers/temp-dir.js";

const TEXTS = ["sparse retrieval with learned term weights", "The Moon's gravity pulls on the oceans."];

const CASES: Record<string, string[]> = {
  "tiny-inference-free-splade": ["router_config.json", "query_0_SparseStaticEmbedding/model.safetensors", "query_0_SparseStaticEmbedding/tokenizer.json", "document_0_MLMTransformer/model.safetensors", "document_1_SpladePooling/config.json"],
  "tiny-opensearch-inference-free": ["router_config.json", "model.safetensors", "query_0_SparseStaticEmbedding/model.safetensors", "document_1_SpladePooling/config.json"],
  "tiny-asym-splade": ["query_0_MLMTransformer/model.safetensors", "query_0_MLMTransformer/sentence_bert_config.json", "query_1_SpladePooling/config.json", "model.safetensors"],
  "tiny-csr": ["1_Pooling/config.json", "2_SparseAutoEncoder/config.json", "2_SparseAutoEncoder/model.safetensors", "model.safetensors"],
  "tiny-bert-splade-bin": ["pytorch_model.bin", "1_SpladePooling/config.json"],
  "tiny-distilbert-splade-sharded": ["model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
};

async function encodeAll(idOrPath: string, options: FromPretrainedOptions): Promise<unknown> {
  const encoder = await SparseEncoder.fromPretrained(idOrPath, options);
  try {
    return [await encoder.encodeQuery(TEXTS), await encoder.encodeDocument(TEXTS), await encoder.encode(TEXTS)];
  } finally {
    await encoder.release();
  }
}

test("every family downloads by Hub id into the cache layout, encodes like its folder, and reloads offline", async (t) => {
  const hub = await startHubServer({ models: Object.fromEntries(Object.keys(CASES).map((m) => [`org/${m}`, modelDir(m)])) });
  const cacheDir = tempDir("hub-cache-");
  t.after(() => hub.close());
  for (const [model, files] of Object.entries(CASES)) {
    const options = { endpoint: hub.url, cacheDir, threads: 1 };
    const local = await encodeAll(modelDir(model), { threads: 1 });
    assert.deepEqual(await encodeAll(`org/${model}`, options), local, model);
    const snapshot = join(cacheDir, `models--org--${model}`, "snapshots", hub.commitOf(`org/${model}`));
    for (const file of files) assert.ok(existsSync(join(snapshot, file)), `${model}: ${file} cached`);
    const hits = hub.hits.length;
    assert.deepEqual(await encodeAll(`org/${model}`, { ...options, offline: true }), local, `${model} offline`);
    assert.equal(hub.hits.length, hits, `${model}: offline makes no request`);
  }
});
