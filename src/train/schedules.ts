/**
 * Step schedules, with upstream's step semantics: `step` is the number of optimizer updates already done
 * (HF Trainer's `state.global_step` when the update is computed), so the first update uses step 0.
 *
 * Learning rate — transformers `get_linear_schedule_with_warmup` (optimization.py):
 *   lr(step) = base · step / max(1, warmup)                          for step < warmup
 *            = base · max(0, (total − step) / max(1, total − warmup))  after
 *   so with warm-up the first update uses lr 0. Warm-up steps from a ratio: ceil(total · ratio)
 *   (TrainingArguments.get_warmup_steps).
 * Regularizer weights — sentence-transformers SpladeRegularizerWeightSchedulerCallback (on_step_begin):
 *   λ(step) = λ_max · (step / warmup)²  (quadratic, default) or λ_max · step / warmup (linear)  for step < warmup,
 *   λ_max after; warmup = max(1, floor(total · ratio)), ratio 1/3 by default.
 */
import { check } from "../util/errors.js";

export function warmupStepsFromRatio(totalSteps: number, ratio: number): number {
  check(ratio >= 0 && ratio <= 1, `warmup ratio must be in [0, 1], got ${ratio}`);
  return Math.ceil(totalSteps * ratio);
}

export function linearScheduleLr(step: number, options: { baseLr: number; warmupSteps: number; totalSteps: number }): number {
  const { baseLr, warmupSteps, totalSteps } = options;
  if (step < warmupSteps) return (baseLr * step) / Math.max(1, warmupSteps);
  return baseLr * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}

export type RegularizerSchedule = "quadratic" | "linear";

/** Upstream default: a third of the training steps. */
export const DEFAULT_REGULARIZER_WARMUP_RATIO = 1 / 3;

export function regularizerWarmupStepsFromRatio(totalSteps: number, ratio: number): number {
  check(ratio > 0 && ratio <= 1, `regularizer warm-up ratio must be in (0, 1], got ${ratio}`);
  return Math.max(1, Math.floor(totalSteps * ratio));
}

export function regularizerWeight(step: number, options: { max: number; warmupSteps: number; schedule: RegularizerSchedule }): number {
  const { max, warmupSteps, schedule } = options;
  if (step >= warmupSteps) return max;
  const ratio = step / Math.max(1, warmupSteps);
  return schedule === "linear" ? max * ratio : max * ratio * ratio;
}
