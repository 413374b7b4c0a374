/** Finite-difference checks of the elementwise rules (src/graph/autodiff/rules/elementwise.ts), broadcasting included. */
import { test } from "node:test";
import { gradcheck } from "./harness.js";

test("Add / Sub with broadcasting over leading and size-1 axes", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 3, 4] }, { name: "b", shape: [3, 1] }, { name: "c", shape: [4] }],
    build: (g, x) => g.sub(g.add(x.a, x.b), x.c),
  });
});

test("Mul / Div with broadcasting", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 3] }, { name: "b", shape: [2, 1], positive: true }, { name: "c", shape: [1, 3], positive: true }],
    build: (g, x) => g.div(g.mul(x.a, x.b), x.c),
  });
});

test("a value used twice accumulates both contributions (x·x + x)", async () => {
  await gradcheck({ inputs: [{ name: "x", shape: [5] }], build: (g, x) => g.add(g.mul(x.x, x.x), x.x) });
});

test("Pow with a constant and with a variable exponent", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [4], positive: true }, { name: "e", shape: [4] }],
    build: (g, x) => g.add(g.pow(x.x, g.constScalar(3)), g.pow(x.x, x.e)),
  });
});

test("Neg, Sqrt, Exp, Identity", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3], positive: true }],
    build: (g, x) => g.exp(g.neg(g.sqrt(g.op("Identity", [x.x]) as typeof x.x))),
  });
});

test("Where routes the gradient to the chosen branch (broadcast branches)", async () => {
  await gradcheck({
    inputs: [
      { name: "c", shape: [2, 3], dtype: "bool", data: [1, 0, 1, 0, 0, 1] },
      { name: "a", shape: [2, 3] },
      { name: "b", shape: [3] },
    ],
    build: (g, x) => g.where(x.c, x.a, x.b),
  });
});

test("Sum of several broadcast operands and Cast between float types", async () => {
  await gradcheck({
    inputs: [{ name: "a", shape: [2, 3] }, { name: "b", shape: [3] }],
    build: (g, x) => g.cast(g.op("Sum", [x.a, x.b, x.a]) as typeof x.a, "float32"),
  });
});

test("broadcasting decided at run time when static shapes cannot tell (symbolic dims)", async () => {
  await gradcheck({
    inputs: [
      { name: "a", shape: [2, 3, 4], declared: ["p", "q", "r"] },
      { name: "b", shape: [3, 1], declared: ["s", "t"] },
    ],
    build: (g, x) => g.mul(x.a, x.b),
  });
});
