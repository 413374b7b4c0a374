/** Finite-difference checks of src/graph/autodiff/rules/shape.ts (Reshape, Transpose, (Un)Squeeze, Expand, Concat, Slice). */
import { test } from "node:test";
import type { V } from "../../src/graph/builder.js";
import { gradcheck } from "./harness.js";

test("Reshape and Transpose (attention head split: [B, T, C] → [B, H, T, D])", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3, 4] }],
    build: (g, x) => g.transpose(g.reshape(x.x, [2, 3, 2, 2]), [0, 2, 1, 3]),
  });
});

test("Reshape with 0 and -1 and symbolic input dims", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3, 4], declared: ["B", "T", 4] }],
    build: (g, x) => g.reshape(x.x, [0, -1, 2]),
  });
});

test("Unsqueeze, Squeeze, Flatten", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [3, 4] }],
    build: (g, x) => g.op("Flatten", [g.squeeze(g.unsqueeze(x.x, [0, 2]), [0])], { axis: 1 }) as V,
  });
});

test("Expand", async () => {
  await gradcheck({ inputs: [{ name: "x", shape: [3, 1] }], build: (g, x) => g.op("Expand", [x.x, g.constInt64([2, 3, 4])]) as V });
});

test("Concat along a middle axis", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 1, 3] }, { name: "b", shape: [2, 2, 3] }],
    build: (g, x) => g.concat([x.a, x.b, x.a], 1),
  });
});

test("Slice with positive, negative and clamped bounds", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [4, 5, 3] }],
    build: (g, x) => g.slice(x.x, [1, -4], [3, 100], [0, 1]),
  });
});
