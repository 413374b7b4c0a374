// Hand-computed cases for each metric, in both conventions. Expected values are written as the arithmetic
// a person would do on paper (ranks start at 1, discount log2(rank + 1)).
import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracyAtK } from "../../src/eval/metrics/accuracy.js";
import { precisionAtK } from "../../src/eval/metrics/precision.js";
import { recallAtK } from "../../src/eval/metrics/recall.js";
import { reciprocalRankAtK } from "../../src/eval/metrics/mrr.js";
import { ndcgAtK } from "../../src/eval/metrics/ndcg.js";
import { averagePrecisionAtK } from "../../src/eval/metrics/average-precision.js";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

// Relevant: d1, d3, and d9 which is not in the corpus (never retrieved). |R| = 3.
const judged = new Map([
  ["d1", 1],
  ["d3", 1],
  ["d9", 1],
  ["d4", 0], // judged not relevant
]);
const ranked = ["d2", "d1", "d4", "d3", "d5"];

test("accuracy@k: any relevant document in the top k", () => {
  assert.equal(accuracyAtK(ranked, judged, 1), 0);
  assert.equal(accuracyAtK(ranked, judged, 2), 1);
  assert.equal(accuracyAtK(ranked, judged, 10), 1);
  assert.equal(accuracyAtK([], judged, 10), 0);
});

test("precision@k divides by k, even past the end of the list; grade 0 is not relevant", () => {
  close(precisionAtK(ranked, judged, 1), 0);
  close(precisionAtK(ranked, judged, 3), 1 / 3);
  close(precisionAtK(ranked, judged, 5), 2 / 5);
  close(precisionAtK(ranked, judged, 10), 2 / 10);
});

test("recall@k divides by |R|, which counts relevant documents missing from the corpus", () => {
  close(recallAtK(ranked, judged, 1), 0);
  close(recallAtK(ranked, judged, 2), 1 / 3);
  close(recallAtK(ranked, judged, 10), 2 / 3);
  close(recallAtK(ranked, new Map([["x", 0]]), 10), 0);
});

test("reciprocal rank is cut at k", () => {
  close(reciprocalRankAtK(ranked, judged, 10), 1 / 2);
  close(reciprocalRankAtK(ranked, judged, 1), 0);
  close(reciprocalRankAtK(["d3"], judged, 1), 1);
});

test("nDCG binary (st): ideal DCG of |R| ones cut at k", () => {
  const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
  close(ndcgAtK(ranked, judged, 10, "binary"), dcg / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)));
  // k = 2: only d1 at rank 2 counts; ideal is two ones.
  close(ndcgAtK(ranked, judged, 2, "binary"), 1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
  close(ndcgAtK([], judged, 10, "binary"), 0);
});

test("nDCG graded (trec): gains are the grades, ideal sorts all positive grades", () => {
  const graded = new Map([
    ["a", 2],
    ["b", 1],
    ["c", 0],
    ["z", 3], // not retrieved
  ]);
  const list = ["b", "a", "c"];
  close(ndcgAtK(list, graded, 10, "graded"), (1 + 2 / Math.log2(3)) / (3 + 2 / Math.log2(3) + 1 / Math.log2(4)));
  close(ndcgAtK(list, graded, 2, "graded"), (1 + 2 / Math.log2(3)) / (3 + 2 / Math.log2(3)));
  // The same list with binary gains: two relevant retrieved at ranks 1, 2; three relevant in the qrels.
  close(ndcgAtK(list, graded, 10, "binary"), (1 + 1 / Math.log2(3)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)));
});

test("AP@k: st divides by min(k, |R|), trec by |R|", () => {
  // Relevant at ranks 2 and 4: precisions 1/2 and 2/4.
  close(averagePrecisionAtK(ranked, judged, 100, "min-k-relevant"), (1 / 2 + 2 / 4) / 3);
  close(averagePrecisionAtK(ranked, judged, 100, "all-relevant"), (1 / 2 + 2 / 4) / 3);
  close(averagePrecisionAtK(ranked, judged, 2, "min-k-relevant"), 1 / 2 / 2);
  close(averagePrecisionAtK(ranked, judged, 2, "all-relevant"), 1 / 2 / 3);
});

test("|R| > k: five relevant documents, k = 3", () => {
  const many = new Map(["a", "b", "c", "d", "e"].map((id) => [id, 1]));
  const list = ["a", "b", "x", "c"];
  close(precisionAtK(list, many, 3), 2 / 3);
  close(recallAtK(list, many, 3), 2 / 5);
  close(averagePrecisionAtK(list, many, 3, "min-k-relevant"), (1 + 1) / 3);
  close(averagePrecisionAtK(list, many, 3, "all-relevant"), (1 + 1) / 5);
  close(ndcgAtK(list, many, 3, "binary"), (1 + 1 / Math.log2(3)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)));
  close(ndcgAtK(["a", "b", "c"], many, 3, "binary"), 1);
});
