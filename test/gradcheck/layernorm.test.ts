/** Finite-difference checks of src/graph/autodiff/rules/layernorm.ts. */
import { test } from "node:test";
import { gradcheck } from "./harness.js";

test("LayerNormalization over the last axis of [B, T, C]: x, scale and bias", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3, 5] }, { name: "scale", shape: [5] }, { name: "bias", shape: [5] }],
    build: (g, x) => g.layerNorm(x.x, x.scale, x.bias, 1e-5),
  });
});

test("LayerNormalization with DistilBERT's eps 1e-12 and symbolic dims", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [3, 4], declared: ["N", 4] }, { name: "scale", shape: [4] }, { name: "bias", shape: [4] }],
    build: (g, x) => g.layerNorm(x.x, x.scale, x.bias, 1e-12),
  });
});
