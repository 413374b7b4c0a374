/**
 * Checks of src/graph/autodiff/rules/dropout.ts. Inference-mode Dropout is the identity (finite differences).
 * Training-mode ONNX Dropout draws a new mask on every run, so finite differences across runs are meaningless;
 * for a fixed mask y = x ⊙ m / (1 − p) is linear, and the check is that the gradient equals g ⊙ m / (1 − p)
 * with the mask of the same run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { V } from "../../src/graph/builder.js";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { differentiate } from "../../src/graph/autodiff/index.js";
import { gradcheck } from "./harness.js";

test("inference-mode Dropout is the identity", async () => {
  await gradcheck({ inputs: [{ name: "x", shape: [2, 3] }], build: (g, x) => g.op("Dropout", [x.x, g.constScalar(0.3)]) as V });
});

test("training-mode Dropout: dx = g ⊙ mask / (1 − p) with the run's own mask", async () => {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", [64]);
  const w = g.input("w", "float32", [64]);
  const training = g.initializer("training", { dtype: "bool", dims: [], data: new Uint8Array([1]) });
  const [y, mask] = g.op("Dropout", [x, g.constScalar(0.25), training], {}, { outputs: 2 }) as V[];
  g.output(g.reduceSum(g.mul(y, w), [0], false), "loss", "float32", []);
  g.output(mask, "mask", "bool", [64]);
  const { gradients } = differentiate(g.ir, { loss: "loss", wrt: ["x"] });
  g.output({ name: gradients.get("x")! }, "dx", "float32", [64]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const wv = Float32Array.from({ length: 64 }, (_, i) => (i % 7) - 3);
  const out = await s.run({ x: new ort.Tensor("float32", new Float32Array(64).fill(1), [64]), w: new ort.Tensor("float32", wv, [64]) });
  const m = out.mask.data as Uint8Array;
  const dx = out.dx.data as Float32Array;
  assert.ok(m.some((v) => v === 0) && m.some((v) => v === 1), "the mask drops some elements and keeps others");
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(dx[i] - (m[i] ? wv[i] / 0.75 : 0)) < 1e-6, `element ${i}`);
});
