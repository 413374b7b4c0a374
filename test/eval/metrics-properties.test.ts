// Properties every ranking must satisfy (fast-check, seeded): bounds, monotonicity in k, and where the two
// conventions must agree or order.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { queryMetrics } from "../../src/eval/ir-metrics.js";
import { RUN_CUTOFFS } from "../../src/eval/defaults.js";

const docIds = fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `d${i}`));
const ranking = fc.uniqueArray(docIds, { maxLength: 12 });
const judgments = fc
  .dictionary(docIds, fc.integer({ min: 0, max: 3 }), { minKeys: 1 })
  .filter((j) => Object.values(j).some((g) => g > 0))
  .map((j) => new Map(Object.entries(j)));
const params = { seed: 20240611, numRuns: 300 };

test("every metric lies in [0, 1]; recall and accuracy grow with k", () => {
  fc.assert(
    fc.property(ranking, judgments, (ranked, judged) => {
      for (const conventions of ["st", "trec"] as const) {
        const m = queryMetrics(ranked, judged, { conventions, cutoffs: RUN_CUTOFFS });
        for (const value of Object.values(m)) assert.ok(value >= 0 && value <= 1 + 1e-12);
        assert.ok(m["recall@1"] <= m["recall@3"] && m["recall@3"] <= m["recall@10"] && m["recall@10"] <= m["recall@1000"]);
        assert.ok(m["accuracy@1"] <= m["accuracy@5"]);
        assert.equal(m["accuracy@1"], m["precision@1"]);
      }
    }),
    params,
  );
});

test("conventions: equal nDCG when all grades are 1; st MAP ≥ trec MAP, equal when |R| ≤ k", () => {
  fc.assert(
    fc.property(ranking, judgments, (ranked, judged) => {
      const binary = new Map([...judged].map(([id, g]) => [id, g > 0 ? 1 : 0]));
      const st = queryMetrics(ranked, binary, { conventions: "st", cutoffs: RUN_CUTOFFS });
      const trec = queryMetrics(ranked, binary, { conventions: "trec", cutoffs: RUN_CUTOFFS });
      assert.ok(Math.abs(st["ndcg@10"] - trec["ndcg@10"]) < 1e-12);
      assert.ok(Math.abs(st["map@100"] - trec["map@100"]) < 1e-12); // |R| ≤ 12 < 100
      const cut = { ...RUN_CUTOFFS, mapAtK: [2] };
      const stCut = queryMetrics(ranked, judged, { conventions: "st", cutoffs: cut })["map@2"];
      const trecCut = queryMetrics(ranked, judged, { conventions: "trec", cutoffs: cut })["map@2"];
      assert.ok(stCut >= trecCut - 1e-12);
    }),
    params,
  );
});

test("a perfect ranking scores 1 on nDCG in both conventions and on st MAP", () => {
  fc.assert(
    fc.property(judgments, (judged) => {
      const ideal = [...judged].filter(([, g]) => g > 0).sort((a, b) => b[1] - a[1]).map(([id]) => id);
      for (const conventions of ["st", "trec"] as const) {
        const m = queryMetrics(ideal, judged, { conventions, cutoffs: RUN_CUTOFFS });
        assert.ok(Math.abs(m["ndcg@10"] - 1) < 1e-12);
        assert.ok(Math.abs(m["map@100"] - 1) < 1e-12);
        assert.equal(m["mrr@10"], 1);
      }
    }),
    params,
  );
});
