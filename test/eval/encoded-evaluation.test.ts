// Evaluation from vectors: a hand-checked toy case, and agreement with metrics computed from a brute-force
// ranking on random vectors (the evaluator must not change what the exact search returns).
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateEncoded } from "../../src/eval/encoded-evaluation.js";
import { evaluateRankings } from "../../src/eval/ir-metrics.js";
import { RUN_CUTOFFS, ST_CUTOFFS } from "../../src/eval/defaults.js";
import { Rng } from "../../src/util/rng.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { bruteForceSearch, dot, vec } from "./helpers/brute-force.js";

test("toy corpus: ties in corpus order (st), trec_eval order (trec), sparsity from the same vectors", () => {
  const corpusIds = ["a", "c", "b"];
  const corpusVectors = [vec({ 1: 1 }), vec({ 1: 1 }), vec({ 2: 1 })]; // a and c tie for a query on dim 1
  const queryVectors = [vec({ 1: 2 })];
  const qrels = new Map([["q", new Map([["a", 1]])]]);
  const dataset = { name: "toy", queryIds: ["q"], queryVectors, corpusIds, corpusVectors, qrels };
  const search = bruteForceSearch(corpusVectors);
  const st = evaluateEncoded(dataset, search, { conventions: "st", cutoffs: ST_CUTOFFS, vocabSize: 4 });
  assert.equal(st.metrics["accuracy@1"], 1); // a comes first in corpus order
  assert.equal(st.metrics["mrr@10"], 1);
  const trec = evaluateEncoded(dataset, search, { conventions: "trec", cutoffs: ST_CUTOFFS, vocabSize: 4 });
  assert.equal(trec.metrics["accuracy@1"], 0); // trec_eval: descending id → c before a
  assert.equal(trec.metrics["mrr@10"], 0.5);
  assert.equal(st.queryCount, 1);
  assert.equal(st.corpusCount, 3);
  assert.equal(st.sparsity.query_active_dims, 1);
  assert.equal(st.sparsity.corpus_sparsity_ratio, 1 - 1 / 4);
  assert.equal(st.sparsity.avg_flops, 2 / 3);
});

function randomVector(rng: Rng, vocab: number, active: number): SparseVector {
  const entries: Record<number, number> = {};
  for (let i = 0; i < active; i++) entries[rng.int(vocab)] = Math.round(rng.next() * 4) / 2; // coarse values: many ties
  return vec(entries);
}

test("random vectors: metrics equal those of an independent brute-force ranking", () => {
  const rng = new Rng(7);
  const vocab = 50;
  const corpusVectors = Array.from({ length: 300 }, () => randomVector(rng, vocab, 1 + rng.int(8)));
  const corpusIds = corpusVectors.map((_, i) => `doc${i}`);
  const queryVectors = Array.from({ length: 40 }, () => randomVector(rng, vocab, 1 + rng.int(4)));
  const queryIds = queryVectors.map((_, i) => `q${i}`);
  const qrels = new Map(
    queryIds.map((id) => [id, new Map(Array.from({ length: 1 + rng.int(6) }, () => [`doc${rng.int(320)}`, 1 + rng.int(2)] as [string, number]))]),
  );
  const dataset = { name: "random", queryIds, queryVectors, corpusIds, corpusVectors, qrels };
  const result = evaluateEncoded(dataset, bruteForceSearch(corpusVectors), { conventions: "st", cutoffs: RUN_CUTOFFS, vocabSize: vocab });
  // Independent ranking: score every document, keep scores > 0, sort by (score desc, corpus position).
  const rankings = new Map(
    queryVectors.map((query, q) => {
      const order = corpusVectors.map((doc, i) => ({ i, s: dot(query, doc) })).filter((o) => o.s > 0).sort((x, y) => y.s - x.s || x.i - y.i);
      return [queryIds[q], order.map((o) => corpusIds[o.i])];
    }),
  );
  const expected = evaluateRankings(rankings, qrels, { conventions: "st", cutoffs: RUN_CUTOFFS });
  assert.deepEqual(result.metrics, expected.metrics);
});
