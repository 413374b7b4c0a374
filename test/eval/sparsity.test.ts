// Sparsity statistics on a hand-computed case, and pooling = statistics of the concatenated vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeSparsityCounts, sparsityCounts, sparsityStats } from "../../src/eval/sparsity.js";
import { isSpladeError } from "../../src/util/errors.js";
import { vec } from "./helpers/brute-force.js";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

test("active dims, sparsity ratio and FLOPS by hand", () => {
  const queries = [vec({ 1: 0.5, 2: 1 }), vec({ 2: 3, 5: 0 })]; // the explicit zero is not active
  const docs = [vec({ 2: 1, 3: 1 }), vec({ 1: 2 }), vec({})];
  const stats = sparsityStats(sparsityCounts(queries, 10), sparsityCounts(docs, 10));
  close(stats.query_active_dims, 1.5);
  close(stats.query_sparsity_ratio, 1 - 1.5 / 10);
  close(stats.corpus_active_dims, 1);
  close(stats.corpus_sparsity_ratio, 0.9);
  // Shared active dims per (query, doc): q1·d1 1, q1·d2 1, q1·d3 0, q2·d1 1, q2·d2 0, q2·d3 0 → 3/6.
  // Equivalently p_q = {1: 1/2, 2: 1}, p_d = {1: 1/3, 2: 1/3, 3: 1/3} → 1/6 + 1/3.
  close(stats.avg_flops, 0.5);
});

test("pooled counts give the weighted means and the FLOPS of the pooled collection", () => {
  const qa = [vec({ 1: 1 }), vec({ 1: 1, 2: 1 })];
  const qb = [vec({ 3: 1, 4: 1, 5: 1 })];
  const da = [vec({ 1: 1 })];
  const db = [vec({ 3: 1 }), vec({ 2: 1, 3: 1 }), vec({ 9: 1 })];
  const pooled = sparsityStats(
    mergeSparsityCounts([sparsityCounts(qa, 10), sparsityCounts(qb, 10)]),
    mergeSparsityCounts([sparsityCounts(da, 10), sparsityCounts(db, 10)]),
  );
  const direct = sparsityStats(sparsityCounts([...qa, ...qb], 10), sparsityCounts([...da, ...db], 10));
  assert.deepEqual(pooled, direct);
  close(pooled.query_active_dims, (1 + 2 + 3) / 3);
  close(pooled.corpus_active_dims, (1 + 1 + 2 + 1) / 4);
});

test("a dimension outside the vocabulary is an error", () => {
  assert.throws(() => sparsityCounts([vec({ 10: 1 })], 10), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});
