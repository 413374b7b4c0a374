/** src/train/dropout.ts: in-graph hash dropout equals its JavaScript reference, keeps ≈ 1 − p, differentiates. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { dropoutKeepReference, hashDropout, lowbias32 } from "../../src/train/dropout.js";
import { gradcheck } from "../gradcheck/harness.js";

test("lowbias32 reference values", () => {
  // Fixed points of the published function (hash-prospector lowbias32): 0 → 0, and distinct outputs.
  assert.equal(lowbias32(0), 0);
  assert.notEqual(lowbias32(1), lowbias32(2));
});

async function runMask(seed: number, salt: number, p: number, dims: number[]): Promise<Float32Array> {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", dims);
  const s = g.input("seed", "int64", []);
  g.output(hashDropout(g, s, salt)(x, p, "layer.0.attention.dropout"), "y", "float32", dims);
  const session = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const n = dims.reduce((a, b) => a * b, 1);
  const out = await session.run({
    x: new ort.Tensor("float32", new Float32Array(n).fill(1), dims),
    seed: new ort.Tensor("int64", BigInt64Array.from([BigInt(seed)]), []),
  });
  return out.y.data as Float32Array;
}

test("graph masks equal the JavaScript reference and keep about 1 − p", async () => {
  const dims = [4, 50, 500];
  const y = await runMask(3141592653, 2, 0.1, dims);
  const keep = dropoutKeepReference(3141592653, "layer.0.attention.dropout", 2, y.length, 0.1);
  let kept = 0;
  for (let i = 0; i < y.length; i++) {
    assert.equal(y[i] !== 0, keep[i] === 1, `element ${i}`);
    if (keep[i]) {
      kept++;
      assert.ok(Math.abs(y[i] - 1 / 0.9) < 1e-6);
    }
  }
  const rate = kept / y.length;
  assert.ok(Math.abs(rate - 0.9) < 0.005, `keep rate ${rate}`);
});

test("masks depend on seed and salt, and repeat for the same ones", async () => {
  const a = await runMask(7, 0, 0.5, [1000]);
  const b = await runMask(7, 0, 0.5, [1000]);
  const c = await runMask(8, 0, 0.5, [1000]);
  const d = await runMask(7, 1, 0.5, [1000]);
  assert.deepEqual(a, b);
  const agree = (u: Float32Array, v: Float32Array) => u.filter((x, i) => (x !== 0) === (v[i] !== 0)).length / u.length;
  assert.ok(agree(a, c) < 0.6 && agree(a, d) < 0.6, `independent masks agree on about half: ${agree(a, c)}, ${agree(a, d)}`);
});

test("dropout is differentiated through its Mul (fixed seed)", async () => {
  await gradcheck({
    inputs: [{ name: "x", shape: [3, 8] }, { name: "seed", shape: [], dtype: "int64", data: [12345] }],
    build: (g, x) => hashDropout(g, x.seed, 0)(x.x, 0.3, "site"),
  });
});
