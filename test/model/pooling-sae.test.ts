/**
 * Dense Pooling (every mode, include_prompt off) and the SparseAutoEncoder (top-k by signed value, ReLU,
 * normalize on/off, both matrix keys) in the graph, against float64 oracles computed here from the graph's own
 * hidden states on a padded batch of the tiny-csr fixture (sentence-transformers Pooling.py and
 * SparseAutoEncoder.py formulas); and the CSR graph's pooled embedding against extras.json `pooled_embedding`.
 *
 * Shapes: B batch, T tokens, C hidden, H latents.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { readTransformerConfig } from "../../src/model/config.js";
import { initializerParams, type ModelContext } from "../../src/model/context.js";
import { buildEncoder } from "../../src/model/mlm.js";
import { pooling, type PoolingOptions } from "../../src/model/pooling.js";
import { sparseAutoEncoder } from "../../src/model/sparse-autoencoder.js";
import { CheckpointWeights } from "../../src/model/weights.js";
import { buildCsrGraph, CSR_OUTPUT_POOLED } from "../../src/encoder/csr-graph.js";
import { loadPipeline } from "../../src/encoder/load-pipeline.js";
import { compareDense, encodeGoldens, familyExtrasGolden, modelDir, TOLERANCE } from "../parity/golden.js";

const DIR = modelDir("tiny-csr");
const OFF: PoolingOptions = { cls: false, max: false, mean: false, meanSqrtLen: false, weightedMean: false, lastToken: false, includePrompt: true };

/** Right-pads id rows into int64 [B, T] ids and mask. */
function pad(rows: number[][]): { ids: BigInt64Array; mask: BigInt64Array; B: number; T: number } {
  const T = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * T);
  const mask = new BigInt64Array(rows.length * T);
  rows.forEach((r, b) => r.forEach((id, t) => ((ids[b * T + t] = BigInt(id)), (mask[b * T + t] = 1n))));
  return { ids, mask, B: rows.length, T };
}

/** Upstream Pooling.forward for one text: hidden [T, C] rows, mask [T] (0/1). */
function poolingOracle(hidden: number[][], mask: number[], o: PoolingOptions): number[] {
  const C = hidden[0].length;
  const kept = hidden.map((_, t) => t).filter((t) => mask[t] === 1);
  const out: number[] = [];
  const sum = (weight: (t: number) => number) => Array.from({ length: C }, (_, c) => kept.reduce((s, t) => s + weight(t) * hidden[t][c], 0));
  const count = Math.max(kept.length, 1e-9);
  if (o.cls) out.push(...hidden[0]);
  if (o.max) out.push(...Array.from({ length: C }, (_, c) => Math.max(...hidden.map((row, t) => (mask[t] ? row[c] : -1e9)))));
  if (o.mean) out.push(...sum(() => 1).map((s) => s / count));
  if (o.meanSqrtLen) out.push(...sum(() => 1).map((s) => s / Math.sqrt(count)));
  if (o.weightedMean) {
    const total = Math.max(kept.reduce((s, t) => s + t + 1, 0), 1e-9);
    out.push(...sum((t) => t + 1).map((s) => s / total));
  }
  if (o.lastToken) out.push(...(kept.length > 0 ? hidden[kept[kept.length - 1]] : new Array(C).fill(0)));
  return out;
}

const MODES: Array<Partial<PoolingOptions>> = [{ cls: true }, { max: true }, { mean: true }, { meanSqrtLen: true }, { weightedMean: true }, { lastToken: true }, { cls: true, max: true, mean: true, meanSqrtLen: true, weightedMean: true, lastToken: true }];

test("Pooling: every mode (and all together, in upstream's order) equals the formula on the graph's hidden states, prompt tokens excluded", async () => {
  const config = readTransformerConfig(`${DIR}/config.json`);
  const weights = CheckpointWeights.open(`${DIR}/model.safetensors`);
  const g = new GraphBuilder("pooling");
  const ctx: ModelContext = { g, param: initializerParams(g, (k, s) => weights.get(k, s)), kernels: "plain" };
  const ids = g.input("input_ids", "int64", ["b", "t"]);
  const mask = g.input("attention_mask", "int64", ["b", "t"]);
  const poolingMask = g.input("pooling_mask", "int64", ["b", "t"]);
  const hidden = buildEncoder(ctx, config, ids, mask);
  g.output(hidden, "hidden", "float32", ["b", "t", config.hidden]);
  MODES.forEach((mode, i) => g.output(pooling(ctx, hidden, poolingMask, { ...OFF, ...mode }), `pooled${i}`, "float32", ["b", "c"]));
  const session = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  try {
    const rows = encodeGoldens("tiny-csr").slice(20, 27).map((r) => r.input_ids);
    const batch = pad(rows);
    // include_prompt=False: the first 3 positions ([CLS] + a 2-token prompt) leave the pooling mask.
    const pooled = batch.mask.map((m, i) => (i % batch.T < 3 ? 0n : m));
    const dims = [batch.B, batch.T];
    const out = await session.run({ input_ids: new ort.Tensor("int64", batch.ids, dims), attention_mask: new ort.Tensor("int64", batch.mask, dims), pooling_mask: new ort.Tensor("int64", pooled, dims) });
    const H = out.hidden.data as Float32Array;
    const C = config.hidden;
    const failures: string[] = [];
    MODES.forEach((mode, i) => {
      const got = out[`pooled${i}`].data as Float32Array;
      const width = got.length / batch.B;
      for (let b = 0; b < batch.B; b++) {
        const hiddenRows = Array.from({ length: batch.T }, (_, t) => Array.from(H.subarray((b * batch.T + t) * C, (b * batch.T + t + 1) * C)));
        const maskRow = Array.from({ length: batch.T }, (_, t) => Number(pooled[b * batch.T + t]));
        const failure = compareDense(got.subarray(b * width, (b + 1) * width), poolingOracle(hiddenRows, maskRow, { ...OFF, ...mode }), 1e-5, `mode ${JSON.stringify(mode)} row ${b}`);
        if (failure) failures.push(failure);
      }
    });
    assert.deepEqual(failures, []);
  } finally {
    await session.release();
  }
});

test("SparseAutoEncoder: top-k by signed value then ReLU, with and without normalize, equals the formula", async () => {
  const weights = CheckpointWeights.open(`${DIR}/2_SparseAutoEncoder/model.safetensors`);
  const [D, H, B] = [32, 256, 5];
  const x = Float32Array.from({ length: B * D }, (_, i) => Math.sin(i * 1.7) * 0.8 + (i % 7) * 0.05);
  for (const normalize of [false, true]) {
    for (const k of [1, 16, 40]) {
      const g = new GraphBuilder("sae");
      const ctx: ModelContext = { g, param: initializerParams(g, (key, s) => weights.get(key, s)), kernels: "plain" };
      const input = g.input("x", "float32", ["b", D]);
      const latents = sparseAutoEncoder(ctx, input, g.constInt64([k]), { inputDim: D, hiddenDim: H, normalize, matrixKey: "decoder.linear.weight", prefix: "" });
      g.output(latents.values, "values", "float32", ["b", k]);
      g.output(latents.indices, "indices", "int64", ["b", k]);
      const session = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
      const out = await session.run({ x: new ort.Tensor("float32", x, [B, D]) });
      await session.release();
      const W = weights.get("decoder.linear.weight", [H, D]);
      const preBias = weights.get("pre_bias", [D]);
      const latentBias = weights.get("latent_bias", [H]);
      for (let b = 0; b < B; b++) {
        let row = Array.from(x.subarray(b * D, (b + 1) * D));
        if (normalize) {
          const mean = row.reduce((s, v) => s + v, 0) / D;
          const centered = row.map((v) => v - mean);
          const std = Math.sqrt(centered.reduce((s, v) => s + v * v, 0) / (D - 1));
          row = centered.map((v) => v / (std + 1e-5));
        }
        const z = Array.from({ length: H }, (_, h) => latentBias[h] + row.reduce((s, v, d) => s + (v - preBias[d]) * W[h * D + d], 0));
        const top = z.map((v, h) => [v, h]).sort((p, q) => q[0] - p[0]).slice(0, k);
        const values = out.values.data as Float32Array;
        const indices = out.indices.data as BigInt64Array;
        top.forEach(([v, h], j) => {
          assert.equal(Number(indices[b * k + j]), h, `normalize ${normalize} k ${k} row ${b} rank ${j}`);
          assert.ok(Math.abs(values[b * k + j] - Math.max(v, 0)) <= 1e-4, `value ${values[b * k + j]} vs ${Math.max(v, 0)}`);
        });
      }
    }
  }
});

test("tiny-csr: the CSR graph's pooled embedding matches extras.json pooled_embedding", async () => {
  const pipeline = await loadPipeline(DIR);
  const session = await GraphSession.create(buildCsrGraph(pipeline.routes[0].modules, { pooledOutput: true }), { threads: 1 });
  try {
    const byText = new Map(encodeGoldens("tiny-csr").map((r) => [r.text, r.input_ids]));
    const failures: string[] = [];
    for (const { text, embedding } of familyExtrasGolden("tiny-csr").pooled_embedding!) {
      const batch = pad([byText.get(text)!]);
      const mask = new ort.Tensor("int64", batch.mask, [1, batch.T]);
      const out = await session.run({ input_ids: new ort.Tensor("int64", batch.ids, [1, batch.T]), attention_mask: mask, pooling_mask: mask, k: new ort.Tensor("int64", BigInt64Array.from([16n]), [1]) });
      const failure = compareDense(out[CSR_OUTPUT_POOLED].data as Float32Array, embedding, TOLERANCE.hidden, `pooled_embedding of ${JSON.stringify(text.slice(0, 30))}`);
      if (failure) failures.push(failure);
    }
    assert.deepEqual(failures, []);
  } finally {
    await session.release();
  }
});
