/** The README's library example, through the package's public entry point (src/index.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseEncoder, SparseIndex, dot, isSpladeError } from "../../src/index.js";

const MODEL = "test/fixtures/tiny-bert-splade";

test("encode with the public API, index in memory, search exactly", async () => {
  const model = await SparseEncoder.fromPretrained(MODEL, { threads: 1 });
  try {
    const docs = ["the cat sat on the mat", "dogs chase cats", "stock markets fell sharply today"];
    const docVectors = await model.encodeDocument(docs);
    const [query] = await model.encodeQuery(["where did the cat sit"]);
    const index = SparseIndex.fromDocuments(docVectors.map((vector, i) => ({ id: `d${i}`, vector, payload: { text: docs[i] } })));
    const hits = index.search(query, { k: 3 });
    const expected = docVectors
      .map((v, i) => ({ id: `d${i}`, score: dot(query, v) }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    assert.deepEqual(hits.map((h) => h.id), expected.map((e) => e.id));
    for (let i = 0; i < hits.length; i++) assert.ok(Math.abs(hits[i].score - expected[i].score) <= 1e-4 * Math.max(1, expected[i].score));
    assert.deepEqual(hits[0].payload, { text: docs[Number(hits[0].id.slice(1))] });
  } finally {
    await model.release();
  }
});

test("a missing model folder is a typed error naming the path", async () => {
  await assert.rejects(SparseEncoder.fromPretrained("test/fixtures/no-such-model"), (e: unknown) => isSpladeError(e) && e.message.includes("no-such-model"));
});
