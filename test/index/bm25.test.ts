/**
 * BM25 impacts and query weights against a hand-computed example (Lucene ≥ 8 formula, k1 = 0.9, b = 0.4):
 *   idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)),  w(t, d) = idf · tf / (tf + k1·(1 − b + b·dl/avgdl)).
 * Corpus (token ids): d1 = [1 2 2] (dl 3), d2 = [2 3] (dl 2), d3 = [1 1 1 4] (dl 4); N = 3, avgdl = 3.
 *   idf(df = 2) = ln 1.6 = 0.470003629,   K(3) = 0.9·(0.6 + 0.4·3/3) = 0.9,
 *   K(2) = 0.9·(0.6 + 0.4·2/3) = 0.78,     K(4) = 0.9·(0.6 + 0.4·4/3) = 1.02.
 * Query [1 2]:
 *   d1 = 0.470003629·(1/1.9 + 2/2.9) = 0.571510757,  d3 = 0.470003629·3/4.02 = 0.350748977,
 *   d2 = 0.470003629·1/1.78 = 0.264047005.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createIndex, addDocuments, mergeIndex } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { termFrequencyVector, bm25Idf } from "../../src/index/bm25.js";
import { byte4ToInt, intToByte4 } from "../../src/index/small-float.js";
import { tempDir } from "../helpers/temp-dir.js";

const bm25 = { weighting: { kind: "bm25" as const, k1: 0.9, b: 0.4 } };
const docs = [
  { id: "d1", vector: termFrequencyVector([1, 2, 2]) },
  { id: "d2", vector: termFrequencyVector([2, 3]) },
  { id: "d3", vector: termFrequencyVector([1, 1, 1, 4]) },
];

test("BM25 scores match the hand-computed example", async () => {
  const dir = tempDir("splade-bm25-");
  await createIndex(dir, docs, { settings: bm25 });
  const index = await SparseIndex.open(dir);
  const hits = index.search(termFrequencyVector([1, 2]), { k: 10 });
  assert.deepEqual(hits.map((h) => h.id), ["d1", "d3", "d2"]);
  const expected = [0.571510757, 0.350748977, 0.264047005];
  hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i]) < 2e-7, `${h.id}: ${h.score} vs ${expected[i]}`));
  // A repeated query term counts twice (Anserini's bag-of-words boost): d2 only has term 3 (idf ln(2.6667)).
  const twice = index.search(termFrequencyVector([3, 3]), { k: 10 });
  assert.equal(twice.length, 1);
  assert.ok(Math.abs(twice[0].score - 2 * Math.log(1 + 2.5 / 1.5) * (1 / 1.78)) < 2e-7);
});

test("idf follows the collection as documents are added; a merge recomputes avgdl", async () => {
  const dir = tempDir("splade-bm25-");
  await createIndex(dir, docs, { settings: bm25 });
  await addDocuments(dir, [{ id: "d4", vector: termFrequencyVector([1, 5]) }]);
  const index = await SparseIndex.open(dir);
  assert.equal(index.documentFrequency(1), 3);
  const query = index.queryVector(termFrequencyVector([1]));
  assert.equal(query.values[0], bm25Idf(3, 4));
  await mergeIndex(dir);
  const merged = await SparseIndex.open(dir);
  // After the merge avgdl = 11/4 for every document: d4 (dl 2) weight of term 1 = idf · 1/(1 + 0.9·(0.6 + 0.4·2/2.75)).
  const d4 = merged.search(termFrequencyVector([5]), { k: 1 })[0];
  const expected = Math.log(1 + 3.5 / 1.5) * (1 / (1 + 0.9 * (0.6 + (0.4 * 2) / 2.75)));
  assert.ok(Math.abs(d4.score - expected) < 2e-7, `${d4.score} vs ${expected}`);
});

test("document lengths are normalized through Lucene's one-byte encoding (SmallFloat.intToByte4)", () => {
  for (let n = 0; n < 24; n++) assert.equal(byte4ToInt(intToByte4(n)), n);
  assert.equal(intToByte4(100), 57);
  assert.equal(byte4ToInt(57), 96);
  assert.equal(byte4ToInt(255), 15 * 2 ** 27 + 24);
  let previous = -1;
  for (let b = 0; b < 256; b++) {
    assert.ok(byte4ToInt(b) > previous);
    previous = byte4ToInt(b);
    assert.equal(intToByte4(byte4ToInt(b)), b);
  }
});
