/**
 * Int8 dynamic quantization: per-column symmetric weights, and the quantized encoder staying close to fp32;
 * the build-time transposes of the float32 kernels.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { quantizePerColumn } from "../../src/encoder/quantize.js";
import { transposedWeights } from "../../src/encoder/kernels.js";
import { Rng } from "../../src/util/rng.js";
import { SparseEncoder } from "../../src/encoder/index.js";
import { encodeGoldens, modelDir } from "../parity/golden.js";

test("quantizePerColumn: Wᵀ columns (concatenated over matrices) within half a step of the weights", () => {
  const w1 = Float32Array.from([1, -2, 0.5, 0, 0, 0]); // [out 2, in 3]
  const w2 = Float32Array.from([0.1, 0.2, -0.3]); // [out 1, in 3]
  const q = quantizePerColumn([w1, w2], 3, [2, 1]);
  assert.deepEqual(Array.from(q.scales), [Math.fround(2 / 127), 1, Math.fround(0.3 / 127)], "an all-zero column gets scale 1");
  const rows = [w1.subarray(0, 3), w1.subarray(3, 6), w2];
  for (let column = 0; column < 3; column++) {
    for (let i = 0; i < 3; i++) {
      const restored = q.data[i * 3 + column] * q.scales[column];
      assert.ok(Math.abs(restored - rows[column][i]) <= q.scales[column] / 2 + 1e-7, `column ${column} row ${i}`);
    }
  }
  assert.equal(q.data[1 * 3 + 0], -127, "the largest magnitude maps to ±127");
});

test("an int8 encoder gives vectors close to fp32 (cosine ≥ 0.94 each, mean ≥ 0.98) on the fixture documents", async () => {
  const model = modelDir("tiny-bert-splade");
  const texts = encodeGoldens("tiny-bert-splade").filter((r) => r.task === "document").map((r) => r.text);
  const fp32 = await SparseEncoder.fromPretrained(model, { threads: 1 });
  const int8 = await SparseEncoder.fromPretrained(model, { threads: 1, quantize: "int8" });
  try {
    const a = await fp32.encodeDocument(texts);
    const b = await int8.encodeDocument(texts);
    const cosines = a.map((v, i) => fp32.similarity([v], [b[i]], "cosine")[0][0]);
    const mean = cosines.reduce((x, y) => x + y, 0) / cosines.length;
    assert.ok(Math.min(...cosines) >= 0.94 && mean >= 0.98, `min ${Math.min(...cosines)}, mean ${mean}`);
    assert.equal(int8.info().quantize, "int8");
  } finally {
    await fp32.release();
    await int8.release();
  }
});

test("quantizePerColumn and transposedWeights write Wᵀ exactly as the element-by-element reference (sizes across blocks)", () => {
  const rng = new Rng(3);
  const inFeatures = 45;
  const outs = [70, 1, 130];
  const matrices = outs.map((o) => Float32Array.from({ length: o * inFeatures }, () => rng.normal()));
  const total = outs.reduce((a, b) => a + b, 0);
  for (const level of [127, 63]) {
    const q = quantizePerColumn(matrices, inFeatures, outs, level);
    let column = 0;
    matrices.forEach((w, k) => {
      for (let o = 0; o < outs[k]; o++, column++) {
        const row = w.subarray(o * inFeatures, (o + 1) * inFeatures);
        const scale = Math.max(...Array.from(row, Math.abs)) / level;
        assert.equal(q.scales[column], Math.fround(scale));
        for (let i = 0; i < inFeatures; i++) assert.equal(q.data[i * total + column], Math.round(row[i] / scale) || 0, `level ${level} [${i}, ${column}]`); // Int8Array stores −0 as 0
      }
    });
  }
  const t = transposedWeights((key) => matrices[Number(key)], ["0", "1", "2"], inFeatures, outs);
  let column = 0;
  matrices.forEach((w, k) => {
    for (let o = 0; o < outs[k]; o++, column++) for (let i = 0; i < inFeatures; i++) assert.equal(t[i * total + column], w[o * inFeatures + i]);
  });
});
