import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";

test("a built graph runs in onnxruntime and computes the expected values", async () => {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", ["batch", 3]);
  const w = g.initializer("w", { dtype: "float32", dims: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
  const y = g.relu(g.add(g.matmul(x, w), g.constFloat([-10, 0.5])));
  const m = g.reduceMax(y, [0], false);
  const ln = g.layerNorm(y, g.constFloat([1, 1]), g.constFloat([0, 0]), 1e-12);
  g.output(m, "m", "float32", [2]);
  g.output(ln, "ln", "float32", ["batch", 2]);
  g.output(g.gemm(x, w, null, { alpha: -1 }), "gemm", "float32", ["batch", 2]);
  const session = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await session.run({ x: new ort.Tensor("float32", Float32Array.from([1, 0, 0, 0, 1, 1]), [2, 3]) });
  // rows: [1,2]+[-10,.5] -> relu [0, 2.5]; [8,10]+[-10,.5] -> [0, 10.5]
  assert.deepEqual(Array.from(out.m.data as Float32Array), [0, 10.5]);
  assert.deepEqual(Array.from(out.gemm.data as Float32Array), [-1, -2, -8, -10]);
  const ln0 = Array.from(out.ln.data as Float32Array);
  assert.ok(Math.abs(ln0[0] + 1) < 1e-5 && Math.abs(ln0[1] - 1) < 1e-5);
});

test("negative int64 attributes and inputs serialize correctly", async () => {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", [2, 3]);
  const s = g.softmax(x, -1);
  const r = g.reshape(s, [-1]);
  g.output(r, "r", "float32", [6]);
  const session = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await session.run({ x: new ort.Tensor("float32", new Float32Array(6), [2, 3]) });
  assert.deepEqual(Array.from(out.r.data as Float32Array).map((v) => v.toFixed(4)), Array(6).fill("0.3333"));
});
