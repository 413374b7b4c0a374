/**
 * Gradient of LayerNormalization (opset 17) over the trailing axes from `axis` (the project uses axis −1):
 *   x̂ = (x − μ)·r, r = 1/√(σ² + ε), y = x̂·γ + β   (μ, σ² over the normalized axes, biased variance)
 *   dβ = Σ_lead g,   dγ = Σ_lead g ⊙ x̂           (lead = the axes before `axis`)
 *   dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)),  ĝ = g ⊙ γ        (means over the normalized axes)
 * μ and r are recomputed in the backward graph rather than taken from the node's optional Mean/InvStdDev
 * outputs, so the forward node is left as the model built it (and ORT may still fuse it).
 * Forward: GraphBuilder.layerNorm. Tests: test/gradcheck/layernorm.test.ts.
 */
import type { GradRule } from "../rule.js";

const layerNorm: GradRule = (ctx, node, [g], needs) => {
  const b = ctx.b;
  const [xName, scaleName, biasName] = node.inputs;
  const rank = ctx.rankOf(xName, node);
  const rawAxis = (node.attributes.axis as number | undefined) ?? -1;
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  const normAxes = Array.from({ length: rank - axis }, (_, i) => axis + i);
  const leadAxes = Array.from({ length: axis }, (_, i) => i);
  const eps = (node.attributes.epsilon as { float: number } | number | undefined) ?? 1e-5;
  const epsilon = typeof eps === "number" ? eps : eps.float;

  const x = ctx.v(xName);
  const mean = b.reduceMean(x, normAxes, true);
  const centered = b.sub(x, mean);
  const variance = b.reduceMean(b.mul(centered, centered), normAxes, true);
  const rstd = b.div(ctx.scalar(1), b.sqrt(b.add(variance, ctx.scalar(epsilon))));
  const xhat = b.mul(centered, rstd);

  const sumLead = (v: ReturnType<typeof b.mul>) => (leadAxes.length > 0 ? b.reduceSum(v, leadAxes, false) : v);
  const dScale = needs[1] ? sumLead(b.mul(g!, xhat)) : null;
  const dBias = needs[2] && biasName ? sumLead(g!) : null;
  let dx = null;
  if (needs[0]) {
    const gh = b.mul(g!, ctx.v(scaleName));
    const m1 = b.reduceMean(gh, normAxes, true);
    const m2 = b.reduceMean(b.mul(gh, xhat), normAxes, true);
    dx = b.mul(rstd, b.sub(b.sub(gh, m1), b.mul(xhat, m2)));
  }
  return node.inputs.length > 2 ? [dx, dScale, dBias] : [dx, dScale];
};

export const LAYERNORM_RULES = { LayerNormalization: layerNorm } satisfies Record<string, GradRule>;
