/** src/app/mine-negatives.ts: positives excluded, range window, top/random sampling, triplet and n-tuple output. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mineHardNegatives, type Retriever } from "../../src/app/mine-negatives.js";

const corpus = ["d0", "d1", "d2", "d3", "d4", "d5"];
/** Ranks every document by a fixed order per query. */
const retriever: Retriever = {
  corpus,
  async search(queries, k) {
    return queries.map((q) => (q === "qa" ? [1, 0, 2, 3, 4, 5] : [5, 4, 3, 2, 1, 0]).slice(0, k));
  },
};
const pairs = [
  { query: "qa", positive: "d1" },
  { query: "qa", positive: "d2" },
  { query: "qb", positive: "d0" },
];

test("top negatives skip every positive of the query, in rank order", async () => {
  const r = await mineHardNegatives(pairs, retriever, { numNegatives: 2, rangeMin: 0, rangeMax: 6, samplingStrategy: "top", outputFormat: "triplet", seed: 1 });
  assert.deepEqual(r.rows, [
    { query: "qa", positive: "d1", negative: "d0" },
    { query: "qa", positive: "d1", negative: "d3" },
    { query: "qa", positive: "d2", negative: "d0" },
    { query: "qa", positive: "d2", negative: "d3" },
    { query: "qb", positive: "d0", negative: "d5" },
    { query: "qb", positive: "d0", negative: "d4" },
  ]);
  assert.equal(r.stats.queries, 2);
});

test("range window and n-tuple output (pairs without enough candidates are skipped)", async () => {
  const r = await mineHardNegatives(pairs, retriever, { numNegatives: 2, rangeMin: 3, rangeMax: 5, samplingStrategy: "top", outputFormat: "n-tuple", seed: 1 });
  // qa: ranks 3..4 → d3, d4; qb: ranks 3..4 → d2, d1.
  assert.deepEqual(r.rows, [
    { query: "qa", positive: "d1", negative_1: "d3", negative_2: "d4" },
    { query: "qa", positive: "d2", negative_1: "d3", negative_2: "d4" },
    { query: "qb", positive: "d0", negative_1: "d2", negative_2: "d1" },
  ]);
  const few = await mineHardNegatives(pairs, retriever, { numNegatives: 3, rangeMin: 3, rangeMax: 5, samplingStrategy: "top", outputFormat: "n-tuple", seed: 1 });
  assert.equal(few.rows.length, 0);
  assert.equal(few.stats.skippedPairs, 3);
});

test("random sampling is seeded and draws from the candidates", async () => {
  const o = { numNegatives: 2, rangeMin: 0, rangeMax: 6, samplingStrategy: "random" as const, outputFormat: "triplet" as const, seed: 7 };
  const a = await mineHardNegatives(pairs, retriever, o);
  const b = await mineHardNegatives(pairs, retriever, o);
  assert.deepEqual(a.rows, b.rows);
  for (const row of a.rows) assert.ok(!pairs.some((p) => p.query === row.query && p.positive === row.negative), "a positive was drawn");
});
