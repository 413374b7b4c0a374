/** Finite-difference checks of the fused max-over-tokens MatMul backward (src/graph/autodiff/rules/max-matmul.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { differentiate } from "../../src/graph/autodiff/index.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { gradcheck } from "./harness.js";

test("max over tokens of features · Wᵀ (tied decoder): gradients of features and W", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 4, 3] }, { name: "w", shape: [7, 3] }],
    build: (g, x) => g.reduceMax(g.matmul(x.a, g.transpose(x.w, [1, 0])), [1], false),
  });
});

test("the same with the vocabulary in chunks and the weight used elsewhere too", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [3, 5, 2] }, { name: "w", shape: [11, 2] }],
    build: (g, x) => g.add(g.reduceMax(g.matmul(x.a, g.transpose(x.w, [1, 0])), [1], false), g.reduceSum(g.gather(x.w, g.constInt64([1, 2, 3])), [0, 1], false)),
    rules: { maxMatMulChunkElements: 6 },
  });
});

test("sparse activations: words inactive in every row (relu off) are skipped, and their gradient is zero", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 4, 3] }, { name: "w", shape: [9, 3] }, { name: "bias", shape: [9], data: [-9, 0, -9, -9, 0.5, -9, -9, -9, 0], check: false }],
    build: (g, x) => g.relu(g.add(g.reduceMax(g.matmul(x.a, g.transpose(x.w, [1, 0])), [1], false), x.bias)),
    rules: { maxMatMulChunkElements: 6 },
  });
});

test("no active word at all: zero gradients (empty chunks)", async () => {
  const g = new GraphBuilder("t");
  const a = g.input("a", "float32", [2, 3, 2]);
  const w = g.input("w", "float32", [4, 2]);
  const pooled = g.relu(g.add(g.reduceMax(g.matmul(a, g.transpose(w, [1, 0])), [1], false), g.constScalar(-100)));
  g.output(g.reduceSum(pooled, [0, 1], false), "y", "float32", []);
  const { gradients } = differentiate(g.ir, { loss: "y", wrt: ["a", "w"], rules: { maxMatMulChunkElements: 2 } });
  g.output({ name: gradients.get("a")! }, "da", "float32", [2, 3, 2]);
  g.output({ name: gradients.get("w")! }, "dw", "float32", [4, 2]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await s.run({ a: new ort.Tensor("float32", Float32Array.from({ length: 12 }, (_, i) => i / 10), [2, 3, 2]), w: new ort.Tensor("float32", Float32Array.from({ length: 8 }, (_, i) => i / 8), [4, 2]) });
  assert.deepEqual(Array.from(out.da.data as Float32Array), new Array(12).fill(0));
  assert.deepEqual(Array.from(out.dw.data as Float32Array), new Array(8).fill(0));
  await s.release();
});

test("a non-transposed right operand gets its gradient as [C, V]", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 3, 4] }, { name: "bm", shape: [4, 5] }],
    build: (g, x) => g.reduceMax(g.matmul(x.a, x.bm), [1], false),
  });
});

test("the fused rule replaces the dense path: no scatter, no dense weight product, one-hot chunks only", () => {
  const g = new GraphBuilder("t");
  const a = g.input("a", "float32", ["B", "T", 3]);
  const w = g.input("w", "float32", [7, 3]);
  g.output(g.reduceSum(g.reduceMax(g.matmul(a, g.transpose(w, [1, 0])), [1], false), [0, 1], false), "y", "float32", []);
  differentiate(g.ir, { loss: "y", wrt: ["a", "w"], rules: { maxMatMulChunkElements: 9 } });
  // onnxruntime's ScatterElements is single-threaded and its ScatterND add races on repeated rows; the one
  // ScatterND left writes each active word's row once (no reduction).
  assert.ok(!g.ir.nodes.some((n) => n.op === "ScatterElements"), "single-threaded scatter in the backward");
  assert.ok(g.ir.nodes.filter((n) => n.op === "ScatterND").every((n) => n.attributes.reduction === undefined), "ScatterND with a reduction");
  assert.ok(!g.ir.nodes.some((n) => n.op === "Gemm"), "dense weight gradient");
  // 7 words × 3 features in chunks of ≤ 9 elements: 3 one-hot [B, T, Vc] chunks.
  assert.equal(g.ir.nodes.filter((n) => n.op === "Equal").length, 3);
});

test("tied tokens (equal feature rows, e.g. padding copied from [CLS]): the whole gradient goes to the first", async () => {
  const g = new GraphBuilder("t");
  const a = g.input("a", "float32", [1, 3, 2]);
  const w = g.input("w", "float32", [2, 2]);
  g.output(g.reduceSum(g.reduceMax(g.matmul(a, g.transpose(w, [1, 0])), [1], false), [0, 1], false), "y", "float32", []);
  const { gradients } = differentiate(g.ir, { loss: "y", wrt: ["a", "w"], rules: { maxMatMulChunkElements: 2 } });
  g.output({ name: gradients.get("a")! }, "da", "float32", [1, 3, 2]);
  g.output({ name: gradients.get("w")! }, "dw", "float32", [2, 2]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  // Tokens 1 and 2 have equal features and win both words; token 0 wins none.
  const out = await s.run({ a: new ort.Tensor("float32", Float32Array.from([0, 0, 1, 2, 1, 2]), [1, 3, 2]), w: new ort.Tensor("float32", Float32Array.from([1, 0, 0, 1]), [2, 2]) });
  assert.deepEqual(Array.from(out.da.data as Float32Array), [0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(out.dw.data as Float32Array), [1, 2, 1, 2]);
  await s.release();
});
