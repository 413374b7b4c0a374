/** Finite-difference checks of src/graph/autodiff/rules/activations.ts (Relu, Erf-GELU, Tanh, Log, Log1p, …). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { differentiate } from "../../src/graph/autodiff/index.js";
import { gradcheck } from "./harness.js";

test("Relu away from 0", async () => {
  await gradcheck({ inputs: [{ name: "x", shape: [8], data: [-2, -0.5, -0.1, 0.1, 0.3, 1, 2, 3] }], build: (g, x) => g.relu(x.x) });
});

test("Relu'(0) = 0 (PyTorch's convention)", async () => {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", [3]);
  const y = g.reduceSum(g.relu(x), [0], false);
  g.output(y, "y", "float32", []);
  const { gradients } = differentiate(g.ir, { loss: "y", wrt: ["x"] });
  g.output({ name: gradients.get("x")! }, "dx", "float32", [3]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await s.run({ x: new ort.Tensor("float32", Float32Array.from([-1, 0, 1]), [3]) });
  assert.deepEqual(Array.from(out.dx.data as Float32Array), [0, 0, 1]);
});

test("Erf-GELU 0.5·x·(1 + erf(x/√2)) in float32 (onnxruntime has no float64 Erf)", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [3, 4] }],
    precision: "float32",
    eps: 1e-2,
    rtol: 2e-3,
    atol: 2e-4,
    build: (g, x) => g.mul(g.mul(x.x, g.constScalar(0.5)), g.add(g.constScalar(1), g.erf(g.mul(x.x, g.constScalar(Math.SQRT1_2))))),
  });
});

test("Erf-GELU through the float64 erf used by whole-model checks", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [12], data: [-5, -3.6, -3.4, -2, -1, -0.3, 0.01, 0.5, 1.5, 3.4, 3.6, 6] }],
    build: (g, x) => g.mul(g.mul(x.x, g.constScalar(0.5)), g.add(g.constScalar(1), g.erf(g.mul(x.x, g.constScalar(Math.SQRT1_2))))),
  });
});

test("Tanh, Sigmoid, Abs", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [2, 3], data: [-1.5, -0.2, 0.3, 0.7, 1.1, 2] }],
    build: (g, x) => g.add(g.add(g.tanh(x.x), g.op("Sigmoid", [x.x]) as typeof x.x), g.abs(x.x)),
  });
});

test("Log and Log1p (built as Log(1 + x))", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [5], positive: true }],
    build: (g, x) => g.add(g.log(x.x), g.log(g.add(g.constScalar(1), x.x))),
  });
});

test("log1p(relu(x)), the SPLADE activation", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [6], data: [-1, -0.2, 0.2, 0.9, 2.5, 7] }],
    build: (g, x) => g.log(g.add(g.constScalar(1), g.relu(x.x))),
  });
});

test("com.microsoft Gelu in float32", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [8] }],
    precision: "float32",
    eps: 1e-2,
    rtol: 2e-3,
    atol: 2e-4,
    build: (g, x) => g.op("Gelu", [x.x], {}, { domain: "com.microsoft" }) as typeof x.x,
  });
});
