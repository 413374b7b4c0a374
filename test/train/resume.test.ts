/**
 * Interrupting and resuming gives the same result as not interrupting (library API): 4 steps with dropout on
 * and shuffled no-duplicates batches, checkpoint every 2 steps; run B is cancelled after step 2 and resumed
 * from checkpoint-2. The final weights must be bit-identical to run A's and the step records equal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadTrainingModel } from "../../src/train/model-source.js";
import { TRAINING_DEFAULTS, type TrainingOptions } from "../../src/train/options.js";
import { train } from "../../src/train/trainer.js";
import type { StepLogRecord } from "../../src/train/checkpoint/trainer-checkpoint.js";
import { isSpladeError } from "../../src/util/errors.js";
import { MODEL_DIR, readTrain3 } from "./fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

const options: TrainingOptions = { ...TRAINING_DEFAULTS, batchSize: 4, maxSteps: 4, lr: 1e-3, warmupSteps: 1, saveSteps: 2, evalSteps: 1000, loggingSteps: 1, seed: 3, threads: 1 };

function rows() {
  return readTrain3().batches.flat().map((r) => ({ query: r.query, positive: r.positive, negatives: [r.negative] }));
}

test("a run resumed from checkpoint-2 ends bit-identical to the uninterrupted run", async () => {
  const root = tempDir("splade-resume-");
  const model = await loadTrainingModel(MODEL_DIR);
  const stepsA: StepLogRecord[] = [];
  await train({ model, rows: rows(), outputDir: join(root, "a"), options, onStep: (r) => stepsA.push(r) });

  const controller = new AbortController();
  const stepsB: StepLogRecord[] = [];
  await assert.rejects(
    train({ model, rows: rows(), outputDir: join(root, "b"), options, signal: controller.signal, onStep: (r) => (stepsB.push(r), r.step === 2 && controller.abort()) }),
    (e) => isSpladeError(e, "CANCELLED"),
  );
  assert.ok(existsSync(join(root, "b", "checkpoint-2", "optimizer.safetensors")));
  assert.ok(!existsSync(join(root, "b", "model.safetensors")), "the interrupted run published no final model");
  await train({ model, rows: rows(), outputDir: join(root, "b"), options, resumeFrom: join(root, "b", "checkpoint-2"), onStep: (r) => stepsB.push(r) });

  assert.deepEqual(stepsB, stepsA);
  assert.ok(readFileSync(join(root, "a", "model.safetensors")).equals(readFileSync(join(root, "b", "model.safetensors"))), "final weights differ");
  assert.ok(readFileSync(join(root, "a", "checkpoint-4", "optimizer.safetensors")).equals(readFileSync(join(root, "b", "checkpoint-4", "optimizer.safetensors"))), "final Adam moments differ");
});

test("resuming with a different decisive setting is refused", async () => {
  const root = tempDir("splade-resume-");
  const model = await loadTrainingModel(MODEL_DIR);
  await train({ model, rows: rows(), outputDir: root, options: { ...options, maxSteps: 2 } });
  await assert.rejects(
    train({ model, rows: rows(), outputDir: root, options: { ...options, maxSteps: 2, seed: 4 }, resumeFrom: join(root, "checkpoint-2") }),
    (e) => isSpladeError(e, "INVALID_ARGUMENT") && /seed/.test((e as Error).message),
  );
});
