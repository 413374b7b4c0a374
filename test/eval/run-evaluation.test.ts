// Whole-run evaluation: tie-breaks, which queries count, empty runs, both conventions, and the key set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateRun } from "../../src/eval/run-evaluation.js";
import { evaluateRankings, metricNames } from "../../src/eval/ir-metrics.js";
import { rankByScore } from "../../src/eval/ranking.js";
import { RUN_CUTOFFS, ST_CUTOFFS } from "../../src/eval/defaults.js";
import { isSpladeError } from "../../src/util/errors.js";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

test("ties: input order (st) versus trec_eval's descending doc id on float32 scores", () => {
  const docs = [
    { docId: "b", score: 1 },
    { docId: "c", score: 2 },
    { docId: "a", score: 1 },
    { docId: "0", score: 1 + 1e-12 }, // a higher double, but the same float32 as 1
  ];
  assert.deepEqual(rankByScore(docs, "input-order"), ["c", "0", "b", "a"]);
  assert.deepEqual(rankByScore(docs, "trec_eval"), ["c", "b", "a", "0"]);
  const tied = [
    { docId: "x1", score: 5 },
    { docId: "x3", score: 5 },
    { docId: "x2", score: 5 },
  ];
  assert.deepEqual(rankByScore(tied, "input-order"), ["x1", "x3", "x2"]);
  assert.deepEqual(rankByScore(tied, "trec_eval"), ["x3", "x2", "x1"]);
});

test("a tie at the cut-off decides the metric: st keeps input order, trec uses trec_eval's order", () => {
  const qrels = new Map([["q", new Map([["a", 1]])]]);
  const run = new Map([
    [
      "q",
      [
        { docId: "a", score: 3 },
        { docId: "b", score: 3 },
      ],
    ],
  ]);
  const cutoffs = { ...ST_CUTOFFS, accuracyAtK: [1] };
  assert.equal(evaluateRun(run, qrels, { conventions: "st", cutoffs }).metrics["accuracy@1"], 1);
  assert.equal(evaluateRun(run, qrels, { conventions: "trec", cutoffs }).metrics["accuracy@1"], 0);
});

test("queries without relevant judgments are dropped; evaluated queries without a run score 0", () => {
  const qrels = new Map([
    ["q1", new Map([["a", 1]])],
    ["q2", new Map([["b", 1]])], // no run lines: an empty ranking
    ["q3", new Map([["c", 0]])], // no relevant document: not evaluated
  ]);
  const run = new Map([
    ["q1", [{ docId: "a", score: 1 }]],
    ["q4", [{ docId: "a", score: 1 }]], // not in the qrels: ignored
  ]);
  const result = evaluateRun(run, qrels, { conventions: "st" });
  assert.deepEqual(result.queryIds, ["q1", "q2"]);
  close(result.metrics["ndcg@10"], 0.5);
  close(result.metrics["mrr@10"], 0.5);
  close(result.metrics["precision@1"], 0.5);
  assert.deepEqual(result.perQuery.get("q2")!["recall@1000"], 0);
});

test("an empty run scores 0 everywhere; nothing evaluable throws", () => {
  const qrels = new Map([["q1", new Map([["a", 2]])]]);
  const result = evaluateRun(new Map(), qrels, { conventions: "trec" });
  for (const value of Object.values(result.metrics)) assert.equal(value, 0);
  assert.throws(
    () => evaluateRun(new Map(), new Map([["q", new Map([["a", 0]])]]), { conventions: "st" }),
    (e) => isSpladeError(e, "INVALID_ARGUMENT"),
  );
});

test("queryIds restricts evaluation to queries that have a text", () => {
  const qrels = new Map([
    ["q1", new Map([["a", 1]])],
    ["q2", new Map([["b", 1]])],
  ]);
  const rankings = new Map([["q1", ["a"]]]);
  const result = evaluateRankings(rankings, qrels, { conventions: "st", cutoffs: ST_CUTOFFS, queryIds: new Set(["q1"]) });
  assert.deepEqual(result.queryIds, ["q1"]);
  assert.equal(result.metrics["accuracy@1"], 1);
});

test("both conventions on one graded run, every key hand-computed", () => {
  // q1: grades a=2, b=1, z=1 (z never retrieved). Ranking: x, a, b.
  // q2: one relevant document r, retrieved at rank 1.
  const qrels = new Map([
    [
      "q1",
      new Map([
        ["a", 2],
        ["b", 1],
        ["z", 1],
      ]),
    ],
    ["q2", new Map([["r", 1]])],
  ]);
  const run = new Map([
    [
      "q1",
      [
        { docId: "x", score: 3 },
        { docId: "a", score: 2 },
        { docId: "b", score: 1 },
      ],
    ],
    ["q2", [{ docId: "r", score: 9 }]],
  ]);
  const st = evaluateRun(run, qrels, { conventions: "st" }).metrics;
  const trec = evaluateRun(run, qrels, { conventions: "trec" }).metrics;
  assert.deepEqual(Object.keys(st), metricNames(RUN_CUTOFFS));
  assert.deepEqual(Object.keys(st), [
    "accuracy@1", "accuracy@3", "accuracy@5", "accuracy@10",
    "precision@1", "precision@3", "precision@5", "precision@10",
    "recall@1", "recall@3", "recall@5", "recall@10", "recall@100", "recall@1000",
    "ndcg@10", "mrr@10", "map@100",
  ]);
  for (const m of [st, trec]) {
    close(m["accuracy@1"], (0 + 1) / 2);
    close(m["accuracy@3"], 1);
    close(m["precision@1"], (0 + 1) / 2);
    close(m["precision@3"], (2 / 3 + 1 / 3) / 2);
    close(m["precision@10"], (2 / 10 + 1 / 10) / 2);
    close(m["recall@1"], (0 + 1) / 2);
    close(m["recall@3"], (2 / 3 + 1) / 2);
    close(m["mrr@10"], (1 / 2 + 1) / 2);
  }
  // Binary nDCG: gains 0,1,1 against the ideal 1,1,1.
  close(st["ndcg@10"], ((1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)) + 1) / 2);
  // Graded nDCG: gains 0,2,1 against the ideal 2,1,1.
  close(trec["ndcg@10"], ((2 / Math.log2(3) + 1 / Math.log2(4)) / (2 + 1 / Math.log2(3) + 1 / Math.log2(4)) + 1) / 2);
  // AP: relevant at ranks 2 and 3 → 1/2 + 2/3, over min(100, 3) = 3 (st) or |R| = 3 (trec): equal here.
  close(st["map@100"], ((1 / 2 + 2 / 3) / 3 + 1) / 2);
  close(trec["map@100"], st["map@100"]);
  const cut = { ...ST_CUTOFFS, mapAtK: [2] };
  close(evaluateRun(run, qrels, { conventions: "st", cutoffs: cut }).metrics["map@2"], (1 / 2 / 2 + 1) / 2);
  close(evaluateRun(run, qrels, { conventions: "trec", cutoffs: cut }).metrics["map@2"], (1 / 2 / 3 + 1) / 2);
});

test("cut-offs must be positive integers", () => {
  assert.throws(
    () => evaluateRankings(new Map(), new Map([["q", new Map([["a", 1]])]]), { conventions: "st", cutoffs: { ...ST_CUTOFFS, ndcgAtK: [0] } }),
    (e) => isSpladeError(e, "INVALID_ARGUMENT"),
  );
});
