import { test } from "node:test";
import assert from "node:assert/strict";
import { reciprocalRankFusion } from "../../src/index/fusion.js";

test("RRF sums 1/(k + rank) over lists and breaks ties by first appearance", () => {
  const fused = reciprocalRankFusion(
    [
      [{ id: "a" }, { id: "b" }, { id: "c" }],
      [{ id: "b", payload: { t: 1 } }, { id: "d" }, { id: "a" }],
    ],
    { k: 60 },
  );
  assert.deepEqual(fused.map((h) => h.id), ["b", "a", "d", "c"]);
  assert.equal(fused[0].score, 1 / 62 + 1 / 61);
  assert.equal(fused[1].score, 1 / 61 + 1 / 63);
  assert.deepEqual(fused[0].payload, { t: 1 });
  // d (rank 2 of list 2) and c (rank 3 of list 1) differ; equal single-list ranks tie and keep appearance order.
  const tie = reciprocalRankFusion([[{ id: "x" }], [{ id: "y" }]], { k: 10, limit: 1 });
  assert.deepEqual(tie, [{ id: "x", score: 1 / 11 }]);
});
