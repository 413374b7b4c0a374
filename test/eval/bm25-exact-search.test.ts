// BM25 as an evaluation model (the bm25 DocumentEncoder through evaluation-model.ts): its exact search (the index's BM25 segment) equals brute-force Lucene BM25
// computed here from the formula, on a corpus whose documents are short enough (< 24 tokens) for Lucene's
// one-byte length encoding to be exact. The vocabulary is the fixture's bert-base-uncased vocab.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBm25Encoder } from "../../src/app/bm25-encoder.js";
import { evaluationModel } from "../../src/app/evaluation-model.js";
import { isSpladeError } from "../../src/util/errors.js";

const vocabPath = "test/fixtures/tiny-bert-splade/vocab.txt";
const corpus = [
  "cats purr when they are content",
  "dogs bark at cats and at strangers",
  "the stock market fell sharply today",
  "cats cats cats",
  "a market for cats",
  "nothing relevant here",
];
const queries = ["cats market", "stock cats cats", "zebra"];

test("exact search equals brute-force Lucene BM25 (k1 0.9, b 0.4, idf ln(1 + (N − df + 0.5)/(df + 0.5)))", async () => {
  const model = evaluationModel(createBm25Encoder({ vocab: vocabPath }));
  const docs = await model.encodeDocuments(corpus, { batchSize: 4 });
  const qs = await model.encodeQueries(queries, { batchSize: 4 });
  const hits = model.exactSearch(docs)(qs, 10);
  const N = docs.length;
  const lengths = docs.map((d) => d.values.reduce((a, b) => a + b, 0));
  const avgdl = lengths.reduce((a, b) => a + b, 0) / N;
  const df = (term: number) => docs.filter((d) => d.indices.includes(term)).length;
  qs.forEach((q, qi) => {
    const expected = docs
      .map((d, doc) => {
        let score = 0;
        q.indices.forEach((term, i) => {
          const at = d.indices.indexOf(term);
          if (at < 0) return;
          const tf = d.values[at];
          const idf = Math.log(1 + (N - df(term) + 0.5) / (df(term) + 0.5));
          score += q.values[i] * idf * (tf / (tf + 0.9 * (1 - 0.4 + (0.4 * lengths[doc]) / avgdl)));
        });
        return { doc, score };
      })
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
    assert.deepEqual(hits[qi].map((h) => h.doc), expected.map((h) => h.doc), `query ${qi}`);
    hits[qi].forEach((h, i) => assert.ok(Math.abs(h.score - expected[i].score) < 1e-5 * expected[i].score));
  });
  assert.equal(hits[2].length, 0); // no document shares a token with "zebra": nothing retrieved
});

test("term counts as vectors; max active dims is refused for bm25", async () => {
  const model = evaluationModel(createBm25Encoder({ vocab: vocabPath }));
  assert.equal(model.vocabSize, 30522);
  const [v] = await model.encodeQueries(["cats cats market"], { batchSize: 1 });
  assert.deepEqual([...v.values].sort(), [1, 2]);
  await assert.rejects(model.encodeDocuments(["x"], { batchSize: 1, maxActiveDims: 3 }), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});
