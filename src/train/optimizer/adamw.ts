/**
 * AdamW (Loshchilov & Hutter 2019) in the graph, in torch.optim.AdamW's order of operations (single-tensor,
 * non-amsgrad path of torch/optim/adamw.py):
 *   p ← p · (1 − lr·wd)                                  decoupled weight decay (decayed parameters only)
 *   m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
 *   p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * t is the 1-based update count. The scalars lr, lr/(1 − β₁ᵗ) ("step_size") and √(1 − β₂ᵗ) are computed in
 * float64 by the trainer and fed as inputs, so one graph serves every step.
 * Defaults (HF TrainingArguments): β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0.
 */
import type { GraphBuilder, V } from "../../graph/builder.js";

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/** Per-step scalars (graph inputs). */
export interface AdamWScalars {
  lr: V;
  stepSize: V;
  biasCorrection2Sqrt: V;
}

export interface AdamWUpdate {
  param: V;
  m: V;
  v: V;
}

export function adamwUpdate(g: GraphBuilder, o: AdamWOptions, s: AdamWScalars, x: { param: V; grad: V; m: V; v: V; decay: boolean }): AdamWUpdate {
  let p = x.param;
  if (x.decay && o.weightDecay !== 0) p = g.mul(p, g.sub(g.constScalar(1), g.mul(s.lr, g.constScalar(o.weightDecay))));
  const m = g.add(g.mul(x.m, g.constScalar(o.beta1)), g.mul(x.grad, g.constScalar(1 - o.beta1)));
  const v = g.add(g.mul(x.v, g.constScalar(o.beta2)), g.mul(g.mul(x.grad, x.grad), g.constScalar(1 - o.beta2)));
  const denom = g.add(g.div(g.sqrt(v), s.biasCorrection2Sqrt), g.constScalar(o.eps));
  return { param: g.sub(p, g.mul(s.stepSize, g.div(m, denom))), m, v };
}

/** The per-step scalars for the update number `t` (1-based) at learning rate `lr`. */
export function adamwScalars(o: AdamWOptions, t: number, lr: number): { lr: number; stepSize: number; biasCorrection2Sqrt: number } {
  return { lr, stepSize: lr / (1 - o.beta1 ** t), biasCorrection2Sqrt: Math.sqrt(1 - o.beta2 ** t) };
}
