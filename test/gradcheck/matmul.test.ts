/** Finite-difference checks of src/graph/autodiff/rules/matmul.ts (MatMul with batch broadcasting, Gemm). */
import { test } from "node:test";
import { gradcheck } from "./harness.js";

test("MatMul 2-D", async () => {
  await gradcheck({ inputs: [{ name: "a", shape: [3, 4] }, { name: "b", shape: [4, 2] }], build: (g, x) => g.matmul(x.a, x.b) });
});

test("MatMul of a batch [B, T, C] by a weight [C, N] (the linear-layer path)", async () => {
  await gradcheck({ inputs: [{ name: "a", shape: [2, 3, 4] }, { name: "w", shape: [4, 5] }], build: (g, x) => g.matmul(x.a, x.w) });
});

test("MatMul batched [B, H, T, D] · [B, H, D, T] (attention scores)", async () => {
  await gradcheck({ inputs: [{ name: "q", shape: [2, 2, 3, 4] }, { name: "k", shape: [2, 2, 4, 3] }], build: (g, x) => g.matmul(x.q, x.k) });
});

test("MatMul with a broadcast batch axis on each side", async () => {
  await gradcheck({ inputs: [{ name: "a", shape: [2, 1, 3, 4] }, { name: "b", shape: [3, 4, 2] }], build: (g, x) => g.matmul(x.a, x.b) });
});

test("MatMul with symbolic batch dims", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 3, 4], declared: ["B", "T", 4] }, { name: "b", shape: [2, 4, 3], declared: ["B", 4, "T"] }],
    build: (g, x) => g.matmul(x.a, x.b),
  });
});

for (const transA of [false, true]) {
  for (const transB of [false, true]) {
    test(`Gemm transA=${transA} transB=${transB} alpha/beta and a broadcast C`, async () => {
      await gradcheck({
        inputs: [
          { name: "a", shape: transA ? [4, 3] : [3, 4] },
          { name: "b", shape: transB ? [2, 4] : [4, 2] },
          { name: "c", shape: [2] },
        ],
        build: (g, x) => g.gemm(x.a, x.b, x.c, { transA, transB, alpha: 0.7, beta: 1.3 }),
      });
    });
  }
}
