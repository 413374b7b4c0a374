/**
 * src/train/static-embedding-graph.ts (SparseStaticEmbedding.forward in the training graph): the presence
 * matrix — distinct unmasked ids, no counts, padding never — and the gradient into the weight by finite
 * differences (the Mul rule's sum over the batch; the presence depends on no parameter).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { sparseStaticEmbedding } from "../../src/train/static-embedding-graph.js";
import { gradcheck } from "./harness.js";

const V = 7;
const PAD = 0;
// Row 0: id 3 twice, a padded tail; row 1: a literal pad id at an unmasked position; row 2: padding only.
const IDS = [3, 5, 3, 0, 0, 2, 6, 6, 0, 0, 0, 0];
const MASK = [1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0];

test("static embedding: weight[v] at each distinct unmasked id, pad id never", async () => {
  const g = new GraphBuilder("t");
  const w = g.input("w", "float32", [V]);
  const ids = g.input("ids", "int64", ["batch", "tokens"]);
  const mask = g.input("mask", "int64", ["batch", "tokens"]);
  g.output(sparseStaticEmbedding(g, w, ids, mask, { vocabSize: V, padId: PAD }), "y", "float32", ["batch", V]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 2 });
  const weight = Float32Array.from([0.5, 1, 2, 3, 4, 5, 6]);
  const out = await s.run({
    w: new ort.Tensor("float32", weight, [V]),
    ids: new ort.Tensor("int64", BigInt64Array.from(IDS.map(BigInt)), [3, 4]),
    mask: new ort.Tensor("int64", BigInt64Array.from(MASK.map(BigInt)), [3, 4]),
  });
  assert.deepEqual(Array.from(out.y.data as Float32Array), [
    0, 0, 0, 3, 0, 5, 0, // ids 3 (twice, counted once) and 5
    0, 0, 2, 0, 0, 0, 6, // ids 2 and 6; the literal pad id 0 contributes nothing
    0, 0, 0, 0, 0, 0, 0, // padding only
  ]);
  await s.release();
});

test("static embedding: gradient into the weight by finite differences", async () => {
  await gradcheck({
    inputs: [
      { name: "w", shape: [V] },
      { name: "ids", shape: [3, 4], dtype: "int64", data: IDS, declared: ["batch", "tokens"] },
      { name: "mask", shape: [3, 4], dtype: "int64", data: MASK, declared: ["batch", "tokens"] },
    ],
    build: (g, x) => sparseStaticEmbedding(g, x.w, x.ids, x.mask, { vocabSize: V, padId: PAD }),
  });
});
