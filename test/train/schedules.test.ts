/** src/train/schedules.ts and plan.ts: HF linear warm-up/decay and the SPLADE regularizer ramp, step semantics. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { linearScheduleLr, regularizerWeight, regularizerWarmupStepsFromRatio, warmupStepsFromRatio } from "../../src/train/schedules.js";
import { makePlan, stepHyperparameters } from "../../src/train/plan.js";
import { TRAINING_DEFAULTS } from "../../src/train/options.js";

test("linear schedule: the first update uses lr 0 with warm-up, decays to 0 at the last step", () => {
  const o = { baseLr: 1, warmupSteps: 2, totalSteps: 6 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((s) => linearScheduleLr(s, o)), [0, 0.5, 1, 0.75, 0.5, 0.25, 0]);
  assert.equal(linearScheduleLr(0, { baseLr: 1, warmupSteps: 0, totalSteps: 4 }), 1);
});

test("warm-up steps from a ratio round up (HF get_warmup_steps)", () => {
  assert.equal(warmupStepsFromRatio(800, 0.1), 80);
  assert.equal(warmupStepsFromRatio(5, 0.1), 1);
});

test("regularizer weights: quadratic and linear ramps over floor(total/3) steps", () => {
  assert.equal(regularizerWarmupStepsFromRatio(10, 1 / 3), 3);
  assert.equal(regularizerWarmupStepsFromRatio(2, 1 / 3), 1);
  const q = (s: number) => regularizerWeight(s, { max: 9, warmupSteps: 3, schedule: "quadratic" });
  const l = (s: number) => regularizerWeight(s, { max: 9, warmupSteps: 3, schedule: "linear" });
  assert.deepEqual([0, 1, 2, 3, 4].map(q), [0, 1, 4, 9, 9]);
  assert.deepEqual([0, 1, 2, 3, 4].map(l), [0, 3, 6, 9, 9]);
});

test("plan: steps per epoch with accumulation, max_steps override, per-step hyperparameters", () => {
  const o = { ...TRAINING_DEFAULTS, batchSize: 16, gradientAccumulationSteps: 2, epochs: 2, lambdaQuery: null };
  const plan = makePlan(100, o); // 7 batches → 3 updates per epoch
  assert.deepEqual([plan.batchesPerEpoch, plan.stepsPerEpoch, plan.totalSteps, plan.warmupSteps, plan.regularizerWarmupSteps], [7, 3, 6, 1, 2]);
  assert.equal(stepHyperparameters(0, plan, o).lr, 0);
  assert.equal(stepHyperparameters(0, plan, o).lambdaQuery, 0);
  assert.equal(makePlan(100, { ...o, maxSteps: 11 }).totalSteps, 11);
});
