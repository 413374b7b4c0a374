/** POST /encode over real HTTP equals the encoder the index records, in both formats and tasks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { createEncoder } from "../../src/app/encoders.js";
import { buildIndex, tempDir, SPLADE_MODEL } from "./helpers/indexes.js";
import { post, startServer } from "./helpers/http.js";

const TEXTS = ["what causes ocean tides", "Plants turn light into sugar.", "ünïcödé and emoji 🌊 survive"];

test("encode with a SPLADE index's model: query and document prompts, maxActiveDims, tokens format", async (t) => {
  const dir = tempDir("splade-serve-");
  const splade = await buildIndex(dir, "neural", SPLADE_MODEL);
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25, splade], threads: 1 });
  const encoder = await createEncoder(SPLADE_MODEL, { splade: { threads: 1 } });
  t.after(() => encoder.release());
  for (const task of ["query", "document"] as const) {
    const expected = task === "query" ? await encoder.encodeQueries(TEXTS) : await encoder.encodeDocuments(TEXTS);
    const r = await post(url, "/encode", { texts: TEXTS, task, index: "neural" });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.index, "neural");
    assert.equal(r.body.model, resolve(SPLADE_MODEL)); // an index records a local model folder by its absolute path
    assert.deepEqual(r.body.vectors, expected.map((v) => ({ indices: Array.from(v.indices), values: Array.from(v.values) })), task);
  }
  const pruned = await post(url, "/encode", { texts: TEXTS, index: "neural", maxActiveDims: 5, format: "tokens" });
  assert.equal(pruned.status, 200, pruned.text);
  const expected = await encoder.encodeQueries(TEXTS, { maxActiveDims: 5 });
  pruned.body.vectors.forEach((v: { tokens: Array<{ token: string; tokenId: number; weight: number }> }, i: number) => {
    assert.equal(v.tokens.length, 5);
    const byWeight = Array.from(expected[i].indices, (id, j) => ({ token: encoder.tokenLookup.idToToken(id), tokenId: id, weight: expected[i].values[j] })).sort((a, b) => b.weight - a.weight || a.tokenId - b.tokenId);
    assert.deepEqual(v.tokens, byWeight);
  });
});

test("encode with a BM25 index's model gives term counts; maxActiveDims is refused, naming the field", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25] });
  const r = await post(url, "/encode", { texts: ["tides tides moon"], format: "tokens" });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.vectors[0].tokens.map((x: { token: string; weight: number }) => [x.token, x.weight]), [["tides", 2], ["moon", 1]]);
  const refused = await post(url, "/encode", { texts: ["x"], maxActiveDims: 3 });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, "INVALID_REQUEST");
  assert.match(refused.body.error.message, /^maxActiveDims: applies to SPLADE models/);
});
