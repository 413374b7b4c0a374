/**
 * The chunked vocabulary product (src/encoder/vocab-product.ts) against the whole one: the decoder quantized
 * by chunks holds the same int8 values and scales as quantized at once, and the chunked maxima over tokens
 * equal those of one MatMulIntegerToFloat over the whole vocabulary, bit for bit (the integer sums are exact
 * and each output is scaled the same way), for a vocabulary that ends in a partial chunk.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, type V } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { MS_DOMAIN } from "../../src/model/layers.js";
import { quantizePerColumn } from "../../src/encoder/quantize.js";
import { chunkedMaxProduct, quantizeDecoder, quantizeFeatures, VOCAB_CHUNK } from "../../src/encoder/vocab-product.js";
import { Rng } from "../../src/util/rng.js";

const [B, T, C] = [3, 7, 48];
const VOCAB = 2 * VOCAB_CHUNK + 123;

test("quantizeDecoder: chunks cover the vocabulary with the values and scales of quantizing it at once", () => {
  const rng = new Rng(5);
  const w = Float32Array.from({ length: VOCAB * C }, () => 0.05 * rng.normal());
  const whole = quantizePerColumn([w], C, [VOCAB]);
  const chunks = quantizeDecoder(w, VOCAB, C);
  assert.deepEqual(
    chunks.map((c) => [c.start, c.size]),
    [
      [0, VOCAB_CHUNK],
      [VOCAB_CHUNK, VOCAB_CHUNK],
      [2 * VOCAB_CHUNK, 123],
    ],
  );
  for (const c of chunks) {
    assert.deepEqual(c.scales, whole.scales.subarray(c.start, c.start + c.size));
    for (let i = 0; i < C; i++) assert.deepEqual(c.data.subarray(i * c.size, (i + 1) * c.size), whole.data.subarray(i * VOCAB + c.start, i * VOCAB + c.start + c.size), `row ${i} of chunk ${c.start}`);
  }
});

test("chunkedMaxProduct equals ReduceMax over one whole MatMulIntegerToFloat, bit for bit", async () => {
  const rng = new Rng(6);
  const w = Float32Array.from({ length: VOCAB * C }, () => 0.05 * rng.normal());
  const features = Float32Array.from({ length: B * T * C }, () => rng.normal());
  const whole = quantizePerColumn([w], C, [VOCAB]);
  const g = new GraphBuilder("vocab-product-test");
  const x = g.input("features", "float32", [B, T, C]);
  const q = quantizeFeatures(g, x);
  g.output(chunkedMaxProduct(g, q, quantizeDecoder(w, VOCAB, C), C, "decoder"), "chunked", "float32", [B, VOCAB]);
  const wq = g.initializer("whole.int8T", { dtype: "int8", dims: [C, VOCAB], data: whole.data });
  const ws = g.initializer("whole.scale", { dtype: "float32", dims: [VOCAB], data: whole.scales });
  const product = g.op("MatMulIntegerToFloat", [q.values, wq, q.scale, ws, q.zeroPoint], {}, { domain: MS_DOMAIN }) as V;
  g.output(g.reduceMax(product, [1]), "whole", "float32", [B, VOCAB]);
  const session = await GraphSession.create(serializeModel(g.ir, { domains: { [MS_DOMAIN]: 1 } }), { threads: 1 });
  try {
    const r = await session.run({ features: new ort.Tensor("float32", features, [B, T, C]) });
    const chunked = r.chunked.data as Float32Array;
    assert.equal(chunked.length, B * VOCAB);
    assert.deepEqual(chunked, r.whole.data as Float32Array);
    assert.ok(chunked.some((v) => v > 0) && chunked.some((v) => v < 0), "both signs occur");
  } finally {
    await session.release();
  }
});
