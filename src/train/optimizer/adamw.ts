/**
 * AdamW (Loshchilov & Hutter 2019) in the graph, in torch.optim.AdamW's order of operations (single-tensor,
 * non-amsgrad path of torch/optim/adamw.py):
 *   p ← p · (1 − lr·wd)                                  decoupled weight decay (decayed parameters only)
 *   m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
 *   p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * t is the 1-based update count. The scalars lr, lr/(1 − β₁ᵗ) ("step_size") and √(1 − β₂ᵗ) are computed in
 * float64 by the trainer and fed as inputs, so one graph serves every step.
 * Each operation below is a full pass over the parameter in onnxruntime (no elementwise fusion on CPU), so
 * scalars are folded where the algebra allows, at float32 rounding distance from torch's order:
 *   - a gradient scale s (the clipping coefficient) enters as m ← β₁·m + ((1 − β₁)·s)·g and
 *     v ← β₂·v + ((1 − β₂)·s²)·g², instead of a pass that writes s·g;
 *   - m / (√v / √(1 − β₂ᵗ) + ε) · step_size = m / (√v + ε·√(1 − β₂ᵗ)) · (step_size · √(1 − β₂ᵗ)).
 * 12 passes per parameter instead of 14.
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

/** Scalars shared by every parameter's update (computed once per graph). */
export interface AdamWShared {
  /** (1 − β₁)·s, (1 − β₂)·s² for the gradient scale s (or the constants without one). */
  mGradWeight: V;
  vGradWeight: V;
  /** ε·√(1 − β₂ᵗ) and step_size·√(1 − β₂ᵗ). */
  epsScaled: V;
  stepScaled: V;
  /** 1 − lr·wd (decoupled weight decay), when wd ≠ 0. */
  decayFactor?: V;
}

export function adamwShared(g: GraphBuilder, o: AdamWOptions, s: AdamWScalars, gradScale?: V): AdamWShared {
  const times = (c: number, x?: V) => (x ? g.mul(g.constScalar(c), x) : g.constScalar(c));
  return {
    mGradWeight: times(1 - o.beta1, gradScale),
    vGradWeight: times(1 - o.beta2, gradScale ? g.mul(gradScale, gradScale) : undefined),
    epsScaled: g.mul(g.constScalar(o.eps), s.biasCorrection2Sqrt),
    stepScaled: g.mul(s.stepSize, s.biasCorrection2Sqrt),
    decayFactor: o.weightDecay !== 0 ? g.sub(g.constScalar(1), g.mul(s.lr, g.constScalar(o.weightDecay))) : undefined,
  };
}

export function adamwUpdate(g: GraphBuilder, o: AdamWOptions, k: AdamWShared, x: { param: V; grad: V; m: V; v: V; decay: boolean }): AdamWUpdate {
  const p = x.decay && k.decayFactor ? g.mul(x.param, k.decayFactor) : x.param;
  const m = g.add(g.mul(x.m, g.constScalar(o.beta1)), g.mul(x.grad, k.mGradWeight));
  const v = g.add(g.mul(x.v, g.constScalar(o.beta2)), g.mul(g.mul(x.grad, x.grad), k.vGradWeight));
  const denom = g.add(g.sqrt(v), k.epsScaled);
  return { param: g.sub(p, g.mul(g.div(m, denom), k.stepScaled)), m, v };
}

/** The per-step scalars for the update number `t` (1-based) at learning rate `lr`. */
export function adamwScalars(o: AdamWOptions, t: number, lr: number): { lr: number; stepSize: number; biasCorrection2Sqrt: number } {
  return { lr, stepSize: lr / (1 - o.beta1 ** t), biasCorrection2Sqrt: Math.sqrt(1 - o.beta2 ** t) };
}
