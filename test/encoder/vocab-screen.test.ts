/**
 * The screened vocabulary product (src/encoder/vocab-screen.ts) against the exhaustive one: SPLADE max
 * pooling through the int8 screen and the exact candidates must equal max pooling over the full float32
 * product, also for entries whose logit sits within rounding of the ReLU's threshold, with padded rows full
 * of large values, and with 7-bit screen weights. And the screen has to leave most entries out for a sparse
 * model, or it saves nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import type { TransformerConfig } from "../../src/model/config.js";
import { initializerParams, type ModelContext } from "../../src/model/context.js";
import { MS_DOMAIN } from "../../src/model/layers.js";
import { spladePooling } from "../../src/model/splade-pooling.js";
import { screenedMaxPooling, screenWeights } from "../../src/encoder/vocab-screen.js";
import { Rng } from "../../src/util/rng.js";

const [B, T, C, V] = [4, 9, 64, 9000]; // three vocabulary chunks (VOCAB_CHUNK 4,096)
const LENGTHS = [9, 6, 3, 1];

interface Case {
  features: Float32Array;
  mask: BigInt64Array;
  decoder: Float32Array;
  bias: Float32Array;
}

/** LayerNorm-like features, a random decoder, and biases placing some entries right at the threshold. */
function makeCase(seed: number): Case {
  const rng = new Rng(seed);
  const features = new Float32Array(B * T * C);
  const mask = new BigInt64Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const real = t < LENGTHS[b];
      mask[b * T + t] = real ? 1n : 0n;
      for (let c = 0; c < C; c++) features[(b * T + t) * C + c] = real ? rng.normal() : 50 * (rng.next() + 1); // padding: huge
    }
  }
  const decoder = Float32Array.from({ length: V * C }, () => 0.05 * rng.normal());
  // Exact maxima over each document's real tokens (float64), to put biases near the threshold.
  const maxima = (b: number, v: number) => {
    let m = -Infinity;
    for (let t = 0; t < LENGTHS[b]; t++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += features[(b * T + t) * C + c] * decoder[v * C + c];
      m = Math.max(m, s);
    }
    return m;
  };
  const offsets = [-1e-3, -1e-5, -1e-7, 0, 1e-7, 1e-5, 1e-3, 0.05];
  const bias = Float32Array.from({ length: V }, (_, v) => (v % 5 === 0 ? -maxima(v % B, v) + offsets[v % offsets.length] : -1.1 - 0.3 * rng.next()));
  return { features, mask, decoder, bias };
}

async function run(c: Case, maxLevel: number): Promise<{ screened: Float32Array; exhaustive: Float32Array; candidates: number }> {
  const g = new GraphBuilder("screen-test");
  const load = (key: string) => (key === "decoder" ? c.decoder : c.bias);
  const ctx: ModelContext = { g, param: initializerParams(g, load), kernels: "plain" };
  const features = g.input("features", "float32", [B, T, C]);
  const mask = g.input("mask", "int64", [B, T]);
  const cfg = { hidden: C, vocabSize: V } as TransformerConfig;
  const out = { lastHidden: features, features, decoderKey: "decoder", decoderBias: ctx.param("bias", [V]) };
  const screened = screenedMaxPooling(ctx, cfg, out, mask, "relu", screenWeights(c.decoder, V, C, maxLevel));
  g.output(screened.splade, "screened", "float32", [B, V]);
  g.output(screened.candidates, "candidates", "int64", [1]);
  g.output(spladePooling(ctx, cfg, out, mask, { pooling: "max", activation: "relu" }), "exhaustive", "float32", [B, V]);
  const session = await GraphSession.create(serializeModel(g.ir, { domains: { [MS_DOMAIN]: 1 } }), { threads: 1 });
  try {
    const r = await session.run({ features: new ort.Tensor("float32", c.features, [B, T, C]), mask: new ort.Tensor("int64", c.mask, [B, T]) });
    return { screened: r.screened.data as Float32Array, exhaustive: r.exhaustive.data as Float32Array, candidates: Number((r.candidates.data as BigInt64Array)[0]) };
  } finally {
    await session.release();
  }
}

for (const maxLevel of [127, 63]) {
  test(`screened max pooling equals the exhaustive product (${maxLevel === 127 ? "8" : "7"}-bit screen, threshold cases, padding)`, async () => {
    for (const seed of [1, 2, 3]) {
      const c = makeCase(seed);
      const { screened, exhaustive, candidates } = await run(c, maxLevel);
      let maxDelta = 0;
      let active = 0;
      for (let i = 0; i < B * V; i++) {
        maxDelta = Math.max(maxDelta, Math.abs(screened[i] - exhaustive[i]));
        if (exhaustive[i] > 0) active++;
        // Any entry the full product activates beyond rounding must have been a candidate.
        if (exhaustive[i] > 1e-6) assert.ok(screened[i] > 0, `seed ${seed}: entry ${i % V} of document ${Math.floor(i / V)} (${exhaustive[i]}) was screened out`);
      }
      assert.ok(maxDelta <= 1e-6, `seed ${seed}: max |Δ| ${maxDelta}`);
      assert.ok(active > 100, `seed ${seed}: only ${active} active entries; the case tests too little`);
      assert.ok(candidates < V / 3, `seed ${seed}: ${candidates} of ${V} entries computed exactly; the screen prunes too little`);
    }
  });
}

test("screenWeights: int8 values within the level, bound coefficients at least the float64 norms", () => {
  const rng = new Rng(9);
  const [vocab, hidden] = [37, 19];
  const w = Float32Array.from({ length: vocab * hidden }, () => rng.normal() * (rng.next() < 0.1 ? 0 : 0.1));
  for (let v = 0; v < hidden; v++) w[3 * hidden + v] = 0; // an all-zero entry
  for (const level of [127, 63]) {
    const s = screenWeights(w, vocab, hidden, level);
    assert.equal(s.chunks.reduce((n, c) => n + c.size, 0), vocab);
    for (let v = 0; v < vocab; v++) {
      const chunk = s.chunks.find((c) => v >= c.start && v < c.start + c.size)!;
      let norm = 0;
      let err = 0;
      for (let i = 0; i < hidden; i++) {
        const q = chunk.data[i * chunk.size + v - chunk.start];
        assert.ok(Math.abs(q) <= level, `level ${level}: |q| = ${Math.abs(q)}`);
        norm += w[v * hidden + i] ** 2;
        err += (w[v * hidden + i] - chunk.scales[v - chunk.start] * q) ** 2;
      }
      assert.ok(s.coefA[v] >= Math.sqrt(norm) && s.coefG[v] >= Math.sqrt(err), `entry ${v}`);
      assert.ok(s.coefA[v] <= Math.sqrt(norm) * 1.01 + 1e-6, `entry ${v}: coefficient far above the norm`);
    }
  }
});
