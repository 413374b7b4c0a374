/**
 * Gradient of Softmax (opset ≥ 13: normalizes along one axis) and LogSoftmax.
 *   Softmax:    y = softmax(x):  dx = y ⊙ (g − Σ_axis g ⊙ y)
 *   LogSoftmax: y = log softmax(x): dx = g − softmax(x) ⊙ Σ_axis g,  softmax(x) = exp(y)
 * Forward: GraphBuilder.softmax (attention), LogSoftmax (cross-entropy). Tests: test/gradcheck/softmax.test.ts.
 */
import type { V } from "../../builder.js";
import type { GradRule } from "../rule.js";

const softmax: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const axis = (node.attributes.axis as number | undefined) ?? -1;
  const y = ctx.v(node.outputs[0]);
  const dot = b.reduceSum(b.mul(g!, y), [axis], true);
  return [b.mul(y, b.sub(g!, dot))];
};

const logSoftmax: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const axis = (node.attributes.axis as number | undefined) ?? -1;
  const p: V = b.exp(ctx.v(node.outputs[0]));
  return [b.sub(g!, b.mul(p, b.reduceSum(g!, [axis], true)))];
};

export const SOFTMAX_RULES: Record<string, GradRule> = { Softmax: softmax, LogSoftmax: logSoftmax };
