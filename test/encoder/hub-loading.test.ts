/**
 * SparseEncoder.fromPretrained with Hub ids, against a local server in the Hub's URL layout
 * (test/helpers/hub-server.ts): the Hugging Face cache layout, offline mode, revisions, an interrupted
 * download and an unreachable Hub.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder, type FromPretrainedOptions } from "../../src/encoder/index.js";
import { startHubServer, unusedLocalUrl, type HubServerOptions } from "../helpers/hub-server.js";
import { modelDir } from "../parity/golden.js";
import { tempDir } from "../helpers/temp-dir.js";

const DISTILBERT = modelDir("tiny-distilbert-splade");
const BERT = modelDir("tiny-bert-splade");
const TEXTS = ["sparse retrieval with learned term weights"];

async function setUp(t: { after: (fn: () => Promise<void> | void) => void }, served: HubServerOptions = { models: { "org/tiny": DISTILBERT } }) {
  const hub = await startHubServer(served);
  const cacheDir = tempDir("hub-cache-");
  t.after(() => hub.close());
  return { hub, cacheDir, options: { endpoint: hub.url, cacheDir, threads: 1 } satisfies FromPretrainedOptions };
}

async function encodeDocuments(idOrPath: string, options: FromPretrainedOptions): Promise<unknown> {
  const encoder = await SparseEncoder.fromPretrained(idOrPath, options);
  try {
    return { vectors: await encoder.encodeDocument(TEXTS), architecture: encoder.info().architecture };
  } finally {
    await encoder.release();
  }
}

test("a Hub id downloads into the cache layout and encodes like the local folder; offline then reuses the cache", async (t) => {
  const { hub, cacheDir, options } = await setUp(t);
  const local = await encodeDocuments(DISTILBERT, { threads: 1 });
  assert.deepEqual(await encodeDocuments("org/tiny", options), local);
  const snapshot = join(cacheDir, "models--org--tiny", "snapshots", hub.commitOf("org/tiny"));
  for (const file of ["config.json", "model.safetensors", "modules.json", "1_SpladePooling/config.json", "tokenizer.json"]) {
    assert.ok(existsSync(join(snapshot, file)), `${file} cached`);
  }
  const hits = hub.hits.length;
  assert.deepEqual(await encodeDocuments("org/tiny", { ...options, offline: true }), local);
  assert.equal(hub.hits.length, hits, "offline mode makes no request");
});

test("offline with an empty cache → OFFLINE; an unreachable Hub → NETWORK", async (t) => {
  const { options } = await setUp(t);
  await assert.rejects(SparseEncoder.fromPretrained("org/tiny", { ...options, offline: true }), { code: "OFFLINE", message: /org\/tiny/ });
  const endpoint = await unusedLocalUrl();
  await assert.rejects(SparseEncoder.fromPretrained("org/tiny", { ...options, endpoint }), { code: "NETWORK", message: /org\/tiny/ });
});

test("a revision selects that version of the repository", async (t) => {
  const { options } = await setUp(t, { models: { "org/tiny": { main: DISTILBERT, "v1.0": BERT } } });
  const main = (await encodeDocuments("org/tiny", options)) as { architecture: string };
  const tagged = (await encodeDocuments("org/tiny", { ...options, revision: "v1.0" })) as { architecture: string };
  assert.equal(main.architecture, "DistilBertForMaskedLM");
  assert.equal(tagged.architecture, "BertForMaskedLM");
  assert.deepEqual(tagged, await encodeDocuments(BERT, { threads: 1 }));
});

test("an interrupted model download fails with NETWORK and leaves a cache that a retry completes", async (t) => {
  const { hub, options } = await setUp(t);
  hub.interruptNextDownload("model.safetensors", 4096);
  await assert.rejects(SparseEncoder.fromPretrained("org/tiny", options), { code: "NETWORK" });
  await assert.rejects(SparseEncoder.fromPretrained("org/tiny", { ...options, offline: true }), { code: "OFFLINE", message: /model\.safetensors/ });
  assert.deepEqual(await encodeDocuments("org/tiny", options), await encodeDocuments(DISTILBERT, { threads: 1 }));
});
