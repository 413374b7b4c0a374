/** Finite-difference checks of src/graph/autodiff/rules/softmax.ts. */
import { test } from "node:test";
import type { V } from "../../src/graph/builder.js";
import { gradcheck } from "./harness.js";

test("Softmax over the last axis with an additive mask bias (attention)", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 2, 3, 3] }, { name: "bias", shape: [2, 1, 1, 3], data: [0, 0, -1e4, 0, 0, 0], check: false }],
    build: (g, x) => g.softmax(g.add(x.x, x.bias), -1),
  });
});

test("Softmax over a middle axis and LogSoftmax (cross-entropy)", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3, 2] }],
    build: (g, x) => g.add(g.softmax(x.x, 1), g.op("LogSoftmax", [x.x], { axis: -1 }) as V),
  });
});
