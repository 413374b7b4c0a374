/** Finite-difference checks of src/graph/autodiff/rules/reduce.ts; ReduceMax's tie convention is checked exactly. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { V } from "../../src/graph/builder.js";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { differentiate } from "../../src/graph/autodiff/index.js";
import { gradcheck } from "./harness.js";

test("ReduceSum and ReduceMean, keepdims on and off, negative axes", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3, 4] }],
    build: (g, x) => g.add(g.reduceSum(x.x, [1], false), g.reduceMean(g.reduceMean(x.x, [-1], true), [1], false)),
  });
});

test("ReduceSum over all axes and ReduceSumSquare", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3] }],
    build: (g, x) => g.add(g.op("ReduceSum", [x.x], { keepdims: 0 }) as V, g.op("ReduceSumSquare", [x.x, g.constInt64([0])], { keepdims: 0 }) as V),
  });
});

test("ReduceMax over tokens (masked SPLADE max pooling)", async () => {
  await gradcheck({
    inputs: [
      { name: "x", shape: [2, 4, 3] },
      { name: "mask", shape: [2, 4, 1], data: [1, 1, 1, 0, 1, 1, 0, 0], check: false },
    ],
    build: (g, x) => g.reduceMax(g.mul(g.log(g.add(g.constScalar(1), g.relu(x.x))), x.mask), [1], false),
  });
});

test("ReduceMax sends the whole gradient to the first arg-max among ties", async () => {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", [2, 3]);
  g.output(g.reduceSum(g.reduceMax(x, [1], false), [0], false), "y", "float32", []);
  const { gradients } = differentiate(g.ir, { loss: "y", wrt: ["x"] });
  g.output({ name: gradients.get("x")! }, "dx", "float32", [2, 3]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await s.run({ x: new ort.Tensor("float32", Float32Array.from([2, 5, 5, 7, 7, 7]), [2, 3]) });
  assert.deepEqual(Array.from(out.dx.data as Float32Array), [0, 1, 0, 1, 0, 0]);
});
