import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { dot, fromDense, fromEntries, toDense } from "../../src/sparse/ops.js";
import { pruneBelow, pruneTopK } from "../../src/sparse/prune.js";
import { validateSparseVector } from "../../src/sparse/validate.js";
import { isSpladeError } from "../../src/util/errors.js";

const denseArb = fc.array(fc.oneof(fc.constant(0), fc.float({ min: -4, max: 4, noNaN: true })), { maxLength: 40 });

test("dot equals the dense dot product summed in ascending term order", () => {
  fc.assert(
    fc.property(denseArb, denseArb, (a, b) => {
      const n = Math.max(a.length, b.length);
      const da = toDense(fromDense(a), n);
      const db = toDense(fromDense(b), n);
      let expected = 0;
      for (let t = 0; t < n; t++) if (da[t] !== 0 && db[t] !== 0) expected += da[t] * db[t];
      assert.equal(dot(fromDense(a), fromDense(b)), expected);
    }),
  );
});

test("fromEntries sorts, sums repeated terms and drops zeros; fromDense/toDense round trip", () => {
  const v = fromEntries([[5, 1], [2, 0.5], [5, 2], [9, 0]]);
  assert.deepEqual([...v.indices], [2, 5]);
  assert.deepEqual([...v.values], [0.5, 3]);
  assert.deepEqual([...toDense(fromDense([0, 1.5, 0, -2]), 4)], [0, 1.5, 0, -2]);
  assert.deepEqual([...fromDense([0.1, 0.5, 0.05], { threshold: 0.1 }).indices], [1]);
  assert.throws(() => fromEntries([[-1, 1]]), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
  assert.throws(() => toDense(v, 3), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});

test("pruneTopK keeps the k largest magnitudes (lower term on ties) in term order", () => {
  const v = fromEntries([[1, 0.5], [2, -3], [3, 1], [4, 1], [7, 0.1]]);
  const top = pruneTopK(v, 3);
  assert.deepEqual([...top.indices], [2, 3, 4]);
  assert.deepEqual([...pruneTopK(v, 2).indices], [2, 3]);
  assert.equal(pruneTopK(v, 10), v);
  assert.deepEqual([...pruneBelow(v, 0.5).indices], [2, 3, 4]);
});

test("validateSparseVector names the vector and the problem", () => {
  const ok = fromEntries([[1, 1], [3, 2]]);
  validateSparseVector(ok, { nonNegative: true, dimension: 4 });
  const bad = (v: unknown, options = {}) => assert.throws(() => validateSparseVector(v as never, { label: "doc X", ...options }), (e) => isSpladeError(e, "INVALID_ARGUMENT") && e.message.startsWith("doc X"));
  bad({ indices: Uint32Array.of(3, 1), values: Float32Array.of(1, 1) });
  bad({ indices: Uint32Array.of(1), values: Float32Array.of(1, 2) });
  bad({ indices: [1], values: Float32Array.of(1) });
  bad({ indices: Uint32Array.of(1), values: Float32Array.of(Number.NaN) });
  bad({ indices: Uint32Array.of(1), values: Float32Array.of(-1) }, { nonNegative: true });
  bad(ok, { dimension: 3 });
});
