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

const weights = CheckpointWeights.open(`${MODEL_DIR}/model.safetensors`);
const batch = tokenizeRows(BertTokenizer.fromModelDir(MODEL_DIR), train3Rows(readTrain3(), 0), { maxLength: 256, labels: false });
const SCALARS: StepScalars = { lr: 1e-3, stepSize: 1e-2, biasCorrection2Sqrt: Math.sqrt(1e-3), lambdaDocument: 1e-3, lambdaQuery: 5e-5, gradScale: 1, dropoutSeed: 0 };

/** A step runner over the fixture model: SpladeLoss (MNRL + FLOPS), AdamW with clipping, three columns. */
function createRunner(dropout: boolean): StepRunner {
  return StepRunner.create(
    {
      config: readTransformerConfig(`${MODEL_DIR}/config.json`),
      pooling: { pooling: "max", activation: "relu" },
      loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: 5e-5, useDocumentRegularizerOnly: false },
      optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 },
      columns: 3,
      dropout,
    },
    (key, shape) => weights.get(key, shape),
    { threads: 1 },
  );
}

test("accumulate(b, ½) + update(b, ½) equals update(b, 1)", async () => {
  const scalars: StepScalars = { ...SCALARS, dropoutSeed: 5 };
  const a = createRunner(true);
  const b = createRunner(true);
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
  const a = createRunner(false);
  const b = createRunner(false);
  try {
    await b.prepare();
    const ra = await a.update(batch, SCALARS);
    const rb = await b.update(batch, SCALARS);
    assert.equal(rb.loss, ra.loss);
    assert.equal(rb.gradNorm, ra.gradNorm);
    for (const p of a.params) assert.deepEqual(b.state.params.get(p.name), a.state.params.get(p.name), p.name);
  } finally {
    await a.release();
    await b.release();
  }
});
