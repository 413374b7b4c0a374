/** Finite-difference check of src/graph/autodiff/rules/gather.ts: embedding lookup with repeated ids (scatter-add). */
import { test } from "node:test";
import { gradcheck } from "./harness.js";

test("Gather axis 0 with repeated and negative ids accumulates rows", async () => {
  await gradcheck({
    inputs: [
      { name: "emb", shape: [5, 3] },
      { name: "ids", shape: [2, 3], dtype: "int64", data: [1, 3, 1, 0, -1, 1] },
    ],
    build: (g, x) => g.gather(x.emb, x.ids),
  });
});
