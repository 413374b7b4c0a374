// The exact search evaluation uses (the index's exhaustive algorithm over one segment) equals brute-force
// scoring, ties included, on random vectors with coarse weights (many ties). BM25 is held to the Lucene
// formula in bm25-exact-search.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dotProductSearch } from "../../src/app/exact-search.js";
import { Rng } from "../../src/util/rng.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { bruteForceSearch, vec } from "./helpers/brute-force.js";

function randomVectors(rng: Rng, count: number, vocab: number, maxActive: number): SparseVector[] {
  return Array.from({ length: count }, () => {
    const entries: Record<number, number> = {};
    const active = rng.int(maxActive + 1); // some vectors are empty
    for (let i = 0; i < active; i++) entries[rng.int(vocab)] = (1 + rng.int(4)) / 4;
    return vec(entries);
  });
}

test("dot-product exact search = brute force (order, ties by corpus order, scores > 0 only)", () => {
  const rng = new Rng(11);
  for (const [docs, vocab, depth] of [
    [500, 40, 10],
    [300, 200, 1000],
    [130, 8, 100],
  ] as const) {
    const corpus = randomVectors(rng, docs, vocab, 12);
    const queries = randomVectors(rng, 30, vocab, 5);
    const fast = dotProductSearch(corpus)(queries, depth);
    const slow = bruteForceSearch(corpus)(queries, depth);
    assert.equal(fast.length, slow.length);
    fast.forEach((hits, q) => {
      assert.deepEqual(hits.map((h) => h.doc), slow[q].map((h) => h.doc), `query ${q}`);
      hits.forEach((h, i) => assert.ok(Math.abs(h.score - slow[q][i].score) <= 1e-6 * Math.max(1, slow[q][i].score)));
    });
  }
});
