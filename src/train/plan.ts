/**
 * The plan of a run (HF Trainer's step arithmetic) and the per-step hyperparameters.
 *   batches per epoch = ceil(rows / batch_size)            (NoDuplicatesBatchSampler.__len__, drop_last False)
 *   update steps per epoch = max(1, floor(batches / gradient_accumulation_steps))
 *   total steps = max_steps when > 0, else epochs × update steps per epoch
 *   warm-up = warmup_steps when > 0, else ceil(total × warmup_ratio)
 *   regularizer warm-up = explicit steps, else max(1, floor(total × ratio))   (schedules.ts)
 */
import { check } from "../util/errors.js";
import { groupBaseLearningRates } from "./optimizer/lr-mapping.js";
import type { TrainingOptions } from "./options.js";
import { linearScheduleLr, regularizerWarmupStepsFromRatio, regularizerWeight, warmupStepsFromRatio } from "./schedules.js";
import { lowbias32 } from "./dropout.js";

export interface TrainingPlan {
  batchesPerEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  warmupSteps: number;
  regularizerWarmupSteps: number;
}

export function makePlan(rowCount: number, o: TrainingOptions): TrainingPlan {
  check(rowCount > 0, "no training rows");
  check(Number.isInteger(o.batchSize) && o.batchSize >= 1, `batch size must be a positive integer, got ${o.batchSize}`);
  check(Number.isInteger(o.gradientAccumulationSteps) && o.gradientAccumulationSteps >= 1, `gradient accumulation steps must be a positive integer`);
  const batchesPerEpoch = Math.ceil(rowCount / o.batchSize);
  const stepsPerEpoch = Math.max(1, Math.floor(batchesPerEpoch / o.gradientAccumulationSteps));
  const totalSteps = o.maxSteps > 0 ? o.maxSteps : Math.ceil(o.epochs * stepsPerEpoch);
  check(totalSteps >= 1, `nothing to train: epochs ${o.epochs}, max steps ${o.maxSteps}`);
  const warmupSteps = o.warmupSteps > 0 ? o.warmupSteps : warmupStepsFromRatio(totalSteps, o.warmupRatio);
  const regularizerWarmupSteps = o.regularizerWarmupSteps ?? regularizerWarmupStepsFromRatio(totalSteps, o.regularizerWarmupRatio);
  return { batchesPerEpoch, stepsPerEpoch, totalSteps, warmupSteps, regularizerWarmupSteps };
}

export interface StepHyperparameters {
  lr: number;
  /** Learning rates of the `learning_rate_mapping` groups 1, 2, … (the same schedule on their own peaks). */
  groupLrs: number[];
  lambdaDocument: number;
  lambdaQuery: number;
}

/** Hyperparameters of the update that follows `step` completed updates. */
export function stepHyperparameters(step: number, plan: TrainingPlan, o: TrainingOptions): StepHyperparameters {
  const reg = (max: number) => regularizerWeight(step, { max, warmupSteps: plan.regularizerWarmupSteps, schedule: o.regularizerSchedule });
  const lr = (baseLr: number) => linearScheduleLr(step, { baseLr, warmupSteps: plan.warmupSteps, totalSteps: plan.totalSteps });
  return {
    lr: lr(o.lr),
    groupLrs: groupBaseLearningRates(o.lr, o.learningRateMapping ?? {}).slice(1).map(lr),
    lambdaDocument: reg(o.lambdaDocument),
    lambdaQuery: o.lambdaQuery === null ? 0 : reg(o.lambdaQuery),
  };
}

/** The dropout seed of micro-batch `micro` of update `step`: a function of the run's seed only. */
export function dropoutSeed(seed: number, step: number, micro: number): number {
  return lowbias32((lowbias32((seed ^ Math.imul(step + 1, 0x9e3779b9)) >>> 0) ^ micro) >>> 0);
}
