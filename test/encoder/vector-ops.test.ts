/** The SparseEncoder helpers on vectors: dense rows → sparse, similarity, sparsity, intersection, decode. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeVector, denseRowToSparse, intersect, similarityMatrix, sparsityOf } from "../../src/encoder/vector-ops.js";

const v = (pairs: Array<[number, number]>) => ({ indices: Uint32Array.from(pairs.map((p) => p[0])), values: Float32Array.from(pairs.map((p) => p[1])) });

test("dense rows become ascending positive entries; maxActiveDims keeps the largest (ties: lower id)", () => {
  const dense = Float32Array.from([0, 2, 0, 1, 3, 1, /* row 1 */ 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(denseRowToSparse(dense, 0, 6), v([[1, 2], [3, 1], [4, 3], [5, 1]]));
  assert.deepEqual(denseRowToSparse(dense, 0, 6, 3), v([[1, 2], [3, 1], [4, 3]]));
  assert.deepEqual(denseRowToSparse(dense, 1, 6), v([]));
});

test("similarity: dot and cosine matrices; a zero vector has cosine 0", () => {
  const a = [v([[1, 3], [2, 4]]), v([])];
  const b = [v([[1, 1]]), v([[2, 2], [7, 1]])];
  assert.deepEqual(similarityMatrix(a, b, "dot"), [[3, 8], [0, 0]]);
  const cos = similarityMatrix(a, b, "cosine");
  assert.ok(Math.abs(cos[0][0] - 0.6) < 1e-12 && Math.abs(cos[0][1] - 8 / (5 * Math.sqrt(5))) < 1e-12);
  assert.deepEqual(cos[1], [0, 0]);
  assert.throws(() => similarityMatrix(a, b, "euclidean" as "dot"), { code: "INVALID_ARGUMENT" });
});

test("sparsity, intersection and decode follow SparseEncoder", () => {
  assert.deepEqual(sparsityOf([v([[1, 1], [2, 1]]), v([])], 4), { activeDims: 1, sparsityRatio: 0.75 });
  assert.deepEqual(sparsityOf([], 4), { activeDims: 0, sparsityRatio: 1 });
  assert.deepEqual(intersect(v([[1, 2], [5, 3], [9, 1]]), v([[5, 2], [9, 0.5], [10, 4]])), v([[5, 6], [9, 0.5]]));
  const tokens = ["a", "b", "c", "d"];
  assert.deepEqual(decodeVector(v([[0, 1], [2, 3], [3, 1]]), (id) => tokens[id]), [["c", 3], ["a", 1], ["d", 1]]);
  assert.deepEqual(decodeVector(v([[0, 1], [2, 3]]), (id) => tokens[id], 1), [["c", 3]]);
});
