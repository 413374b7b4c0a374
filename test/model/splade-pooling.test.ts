/**
 * SPLADE pooling in the graph against upstream's formula computed here from the graph's own MLM logits
 * (SpladePooling.py: log1p(relu(logits · mask)), a second log1p for "log1p_relu", then max or sum over
 * tokens), for all four configurations, on a padded batch of the tiny DistilBERT fixture. Checks the max
 * pooling shortcut (bias and activation after the max, padding rows replaced) and the sum path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { readTransformerConfig } from "../../src/model/config.js";
import { initializerParams, type ModelContext } from "../../src/model/context.js";
import { buildMaskedLm, mlmLogits } from "../../src/model/mlm.js";
import { spladePooling, type SpladePoolingOptions } from "../../src/model/splade-pooling.js";
import { CheckpointWeights } from "../../src/model/weights.js";
import { compareDense, encodeGoldens, modelDir } from "../parity/golden.js";

const CONFIGS: SpladePoolingOptions[] = [
  { pooling: "max", activation: "relu" },
  { pooling: "max", activation: "log1p_relu" },
  { pooling: "sum", activation: "relu" },
  { pooling: "sum", activation: "log1p_relu" },
];

test("max/sum × relu/log1p_relu pooling equals upstream's formula on the graph's logits (padded batch)", async () => {
  const dir = modelDir("tiny-distilbert-splade");
  const config = readTransformerConfig(`${dir}/config.json`);
  const weights = CheckpointWeights.open(`${dir}/model.safetensors`);
  const g = new GraphBuilder("pooling");
  const ctx: ModelContext = { g, param: initializerParams(g, (key, shape) => weights.get(key, shape)), kernels: "plain" };
  const ids = g.input("input_ids", "int64", ["batch", "tokens"]);
  const mask = g.input("attention_mask", "int64", ["batch", "tokens"]);
  const out = buildMaskedLm(ctx, config, ids, mask);
  g.output(mlmLogits(ctx, config, out), "logits", "float32", ["batch", "tokens", config.vocabSize]);
  CONFIGS.forEach((c, i) => g.output(spladePooling(ctx, config, out, mask, c), `pooled${i}`, "float32", ["batch", config.vocabSize]));
  const session = await GraphSession.create(serializeModel(g.ir), { threads: 1 });

  const sequences = encodeGoldens("tiny-distilbert-splade").slice(40, 44).map((r) => r.input_ids);
  const B = sequences.length;
  const T = Math.max(...sequences.map((s) => s.length));
  assert.ok(sequences.some((s) => s.length < T), "the batch has padding");
  const inputIds = new BigInt64Array(B * T);
  const attention = new BigInt64Array(B * T);
  sequences.forEach((s, b) => s.forEach((id, t) => ((inputIds[b * T + t] = BigInt(id)), (attention[b * T + t] = 1n))));
  const result = await session.run({ input_ids: new ort.Tensor("int64", inputIds, [B, T]), attention_mask: new ort.Tensor("int64", attention, [B, T]) });
  const logits = result.logits.data as Float32Array;
  const V = config.vocabSize;

  const failures: string[] = [];
  CONFIGS.forEach((c, i) => {
    const expected = new Float64Array(B * V);
    for (let b = 0; b < B; b++) {
      for (let v = 0; v < V; v++) {
        let pooled = c.pooling === "max" ? -Infinity : 0;
        for (let t = 0; t < T; t++) {
          let x = Math.log1p(Math.max(0, logits[(b * T + t) * V + v] * Number(attention[b * T + t])));
          if (c.activation === "log1p_relu") x = Math.log1p(x);
          pooled = c.pooling === "max" ? Math.max(pooled, x) : pooled + x;
        }
        expected[b * V + v] = pooled;
      }
    }
    const failure = compareDense(result[`pooled${i}`].data as Float32Array, expected, 1e-5, `${c.pooling}/${c.activation}`);
    if (failure) failures.push(failure);
  });
  await session.release();
  assert.deepEqual(failures, []);
});
