/**
 * Gradients of the nonlinearities the encoders and SPLADE pooling use.
 *   Relu:    dx = g · [x > 0]          relu'(0) = 0, PyTorch's convention (threshold_backward uses x > 0)
 *   Erf:     dx = g · 2/√π · exp(−x²)  (Erf-GELU, 0.5·x·(1 + erf(x/√2)), is differentiated through its parts)
 *   Tanh:    dx = g · (1 − y²)         (tanh-approximate GELU)
 *   Sigmoid: dx = g · y · (1 − y)
 *   Log:     dx = g / x                (log1p(x) is built as Log(1 + x) and differentiated through the Add)
 *   Abs:     dx = g · sign(x)          sign(0) = 0, as PyTorch
 *   Gelu (com.microsoft, exact erf form): dx = g · (Φ(x) + x·φ(x)), Φ(x) = ½(1 + erf(x/√2)), φ = e^(−x²/2)/√(2π)
 *            (in 9 passes over x, see gelu below)
 * Forward: GraphBuilder.relu/erf/tanh/log/abs. Tests: test/gradcheck/activations.test.ts.
 */
import type { V } from "../../builder.js";
import { SpladeError } from "../../../util/errors.js";
import type { GradRule } from "../rule.js";

const relu: GradRule = (ctx, node, [g]) => {
  const x = ctx.v(node.inputs[0]);
  return [ctx.b.where(ctx.b.greater(x, ctx.scalar(0)), g!, ctx.scalar(0))];
};

const erf: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const x = ctx.v(node.inputs[0]);
  const dydx = b.mul(b.exp(b.neg(b.mul(x, x))), ctx.scalar(2 / Math.sqrt(Math.PI)));
  return [b.mul(g!, dydx)];
};

const tanh: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const y = ctx.v(node.outputs[0]);
  return [b.mul(g!, b.sub(ctx.scalar(1), b.mul(y, y)))];
};

const sigmoid: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const y = ctx.v(node.outputs[0]);
  return [b.mul(g!, b.mul(y, b.sub(ctx.scalar(1), y)))];
};

const log: GradRule = (ctx, node, [g]) => [ctx.b.div(g!, ctx.v(node.inputs[0]))];

const abs: GradRule = (ctx, node, [g]) => [ctx.b.mul(g!, ctx.b.op("Sign", [ctx.v(node.inputs[0])]) as V)];

/**
 * Each node is a full pass over the FFN activation [B, T, F] (no elementwise fusion on CPU), so the rule is
 * written in 9 passes instead of the formula's 11, at float32 rounding distance from it (u = x/√2):
 *   Φ(x)   = HardSigmoid(erf(u); ½, ½) = max(0, min(1, ½·erf(u) + ½)), never clamped since |erf| ≤ 1, and
 *            ½·e + ½ rounds once as ½·(1 + e) does;
 *   x·φ(x) = (x/√(2π)) / exp(u²)   (e^(−x²/2) as a division by e^(u²): no pass to negate the exponent; for
 *            |x| > ~13.3 exp overflows to ∞ and the quotient is 0, as e^(−x²/2) underflows to 0).
 */
const gelu: GradRule = (ctx, node, [g]) => {
  if (node.domain !== "com.microsoft") return unsupportedDomain(node.domain);
  const b = ctx.b;
  const x = ctx.v(node.inputs[0]);
  const u = b.mul(x, ctx.scalar(Math.SQRT1_2));
  const cdf = b.op("HardSigmoid", [b.erf(u)], { alpha: 0.5, beta: 0.5 }) as V;
  const xPdf = b.div(b.mul(x, ctx.scalar(1 / Math.sqrt(2 * Math.PI))), b.exp(b.mul(u, u)));
  return [b.mul(g!, b.add(cdf, xPdf))];
};

function unsupportedDomain(domain: string): never {
  throw new SpladeError("UNSUPPORTED", `autodiff: Gelu of domain '${domain}' has no gradient rule (only com.microsoft)`);
}

export const ACTIVATION_RULES: Record<string, GradRule> = {
  Relu: relu,
  Erf: erf,
  Tanh: tanh,
  Sigmoid: sigmoid,
  Log: log,
  Abs: abs,
  Gelu: gelu,
};
