/**
 * What an index records about its model: a local model folder or vocab.txt by absolute path, so `splade search`
 * and `splade serve` find it from any working folder; a Hub id and the packaged vocabulary by name.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { createBm25Encoder } from "../../src/app/bm25-encoder.js";
import { createSpladeEncoder } from "../../src/app/splade-document-encoder.js";

test("a model folder given relative to the working folder is recorded by its absolute path", async () => {
  const relative = "test/fixtures/tiny-distilbert-splade";
  const encoder = await createSpladeEncoder(relative);
  try {
    assert.deepEqual(encoder.record, { kind: "splade", model: resolve(relative) });
  } finally {
    await encoder.release();
  }
});

test("BM25: a relative vocab.txt is recorded by its absolute path, the packaged one by name", () => {
  const relative = "test/fixtures/tiny-distilbert-splade/vocab.txt";
  assert.deepEqual(createBm25Encoder({ vocab: relative }).record, { kind: "bm25", vocab: resolve(relative), k1: 0.9, b: 0.4 });
  assert.equal((createBm25Encoder().record as { vocab: string }).vocab, "bert-base-uncased");
});
