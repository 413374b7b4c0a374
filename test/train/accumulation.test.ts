/**
 * Gradient accumulation (HF semantics: each micro-batch's loss is divided by the number of micro-batches):
 * accumulating the same micro-batch twice at scale ½ must give exactly the update of one pass at scale 1
 * (halving and adding equal numbers are exact in floating point).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readTransformerConfig } from "../../src/model/config.js";
import { CheckpointWeights } from "../../src/model/weights.js";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { tokenizeRows } from "../../src/train/data/tokenize.js";
import { StepRunner, type StepScalars } from "../../src/train/step-runner.js";
import { MODEL_DIR, readTrain3, train3Rows } from "./fixture.js";

test("accumulate(b, ½) + update(b, ½) equals update(b, 1)", async () => {
  const weights = CheckpointWeights.open(`${MODEL_DIR}/model.safetensors`);
  const create = () =>
    StepRunner.create(
      {
        config: readTransformerConfig(`${MODEL_DIR}/config.json`),
        pooling: { pooling: "max", activation: "relu" },
        loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: 5e-5, useDocumentRegularizerOnly: false },
        optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 },
        columns: 3,
        dropout: true,
      },
      (key, shape) => weights.get(key, shape),
      { threads: 1 },
    );
  const batch = tokenizeRows(BertTokenizer.fromModelDir(MODEL_DIR), train3Rows(readTrain3(), 0), { maxLength: 256, labels: false });
  const scalars: StepScalars = { lr: 1e-3, stepSize: 1e-2, biasCorrection2Sqrt: Math.sqrt(1e-3), lambdaDocument: 1e-3, lambdaQuery: 5e-5, gradScale: 1, dropoutSeed: 5 };
  const a = create();
  const b = create();
  try {
    const ra = await a.update(batch, scalars);
    const rb1 = await b.accumulate(batch, { ...scalars, gradScale: 0.5 });
    const rb2 = await b.update(batch, { ...scalars, gradScale: 0.5 });
    assert.equal(rb1.loss, ra.loss);
    assert.equal(rb2.gradNorm, ra.gradNorm);
    for (const p of a.params) {
      assert.deepEqual(b.state.params.get(p.name), a.state.params.get(p.name), p.name);
      assert.deepEqual(b.state.v.get(p.name), a.state.v.get(p.name), p.name);
    }
  } finally {
    await a.release();
    await b.release();
  }
});

test("prepare() creates the step session ahead: the first update after it equals one without it", async () => {
  const weights = CheckpointWeights.open(`${MODEL_DIR}/model.safetensors`);
  const create = () =>
    StepRunner.create(
      {
        config: readTransformerConfig(`${MODEL_DIR}/config.json`),
        pooling: { pooling: "max", activation: "relu" },
        loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: 5e-5, useDocumentRegularizerOnly: false },
        optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 },
        columns: 3,
        dropout: false,
      },
      (key, shape) => weights.get(key, shape),
      { threads: 1 },
    );
  const batch = tokenizeRows(BertTokenizer.fromModelDir(MODEL_DIR), train3Rows(readTrain3(), 0), { maxLength: 256, labels: false });
  const scalars: StepScalars = { lr: 1e-3, stepSize: 1e-2, biasCorrection2Sqrt: Math.sqrt(1e-3), lambdaDocument: 1e-3, lambdaQuery: 5e-5, gradScale: 1, dropoutSeed: 0 };
  const a = create();
  const b = create();
  try {
    await b.prepare();
    const ra = await a.update(batch, scalars);
    const rb = await b.update(batch, scalars);
    assert.equal(rb.loss, ra.loss);
    assert.equal(rb.gradNorm, ra.gradNorm);
    for (const p of a.params) assert.deepEqual(b.state.params.get(p.name), a.state.params.get(p.name), p.name);
  } finally {
    await a.release();
    await b.release();
  }
});
