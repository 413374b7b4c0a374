/**
 * Gradients of elementwise arithmetic with numpy broadcasting (Add, Sub, Mul, Div, Pow, Sum, Where) and of
 * the simple unary maps (Neg, Sqrt, Exp, Identity, Cast between float types).
 *
 * Broadcasting: every input gradient is computed at the output's shape, then summed down to the input's
 * shape (GradContext.unbroadcast, PyTorch's sum_to_size).
 *   y = a + b:  da = g,        db = g
 *   y = a − b:  da = g,        db = −g
 *   y = a · b:  da = g·b,      db = g·a
 *   y = a / b:  da = g / b,    db = −g·y / b
 *   y = a ^ b:  da = g·b·a^(b−1),  db = g·y·ln a        (db only where asked; a > 0 there)
 *   y = √x:     dx = g / (2y);  y = eˣ: dx = g·y;  y = −x: dx = −g
 *   y = where(c, a, b): da = where(c, g, 0), db = where(c, 0, g); c gets none.
 * Forward: GraphBuilder.add/sub/mul/div/pow/sqrt/exp/neg/where. Tests: test/gradcheck/elementwise.test.ts.
 */
import type { GradRule } from "../rule.js";

const add: GradRule = (ctx, node, [g], needs) => [
  needs[0] ? ctx.unbroadcast(g!, node.inputs[0], node.outputs[0]) : null,
  needs[1] ? ctx.unbroadcast(g!, node.inputs[1], node.outputs[0]) : null,
];

const sum: GradRule = (ctx, node, [g], needs) => node.inputs.map((x, i) => (needs[i] ? ctx.unbroadcast(g!, x, node.outputs[0]) : null));

const sub: GradRule = (ctx, node, [g], needs) => [
  needs[0] ? ctx.unbroadcast(g!, node.inputs[0], node.outputs[0]) : null,
  needs[1] ? ctx.unbroadcast(ctx.b.neg(g!), node.inputs[1], node.outputs[0]) : null,
];

const mul: GradRule = (ctx, node, [g], needs) => {
  const [a, b] = node.inputs.map((n) => ctx.v(n));
  return [
    needs[0] ? ctx.unbroadcast(ctx.b.mul(g!, b), a.name, node.outputs[0]) : null,
    needs[1] ? ctx.unbroadcast(ctx.b.mul(g!, a), b.name, node.outputs[0]) : null,
  ];
};

const div: GradRule = (ctx, node, [g], needs) => {
  const [a, b] = node.inputs.map((n) => ctx.v(n));
  const y = ctx.v(node.outputs[0]);
  return [
    needs[0] ? ctx.unbroadcast(ctx.b.div(g!, b), a.name, y.name) : null,
    needs[1] ? ctx.unbroadcast(ctx.b.neg(ctx.b.div(ctx.b.mul(g!, y), b)), b.name, y.name) : null,
  ];
};

const pow: GradRule = (ctx, node, [g], needs) => {
  const [a, e] = node.inputs.map((n) => ctx.v(n));
  const y = ctx.v(node.outputs[0]);
  const b = ctx.b;
  return [
    needs[0] ? ctx.unbroadcast(b.mul(g!, b.mul(e, b.pow(a, b.sub(e, ctx.scalar(1))))), a.name, y.name) : null,
    needs[1] ? ctx.unbroadcast(b.mul(g!, b.mul(y, b.log(a))), e.name, y.name) : null,
  ];
};

const neg: GradRule = (ctx, _node, [g]) => [ctx.b.neg(g!)];

const identity: GradRule = (_ctx, _node, [g]) => [g];

const sqrt: GradRule = (ctx, node, [g]) => [ctx.b.div(g!, ctx.b.mul(ctx.v(node.outputs[0]), ctx.scalar(2)))];

const exp: GradRule = (ctx, node, [g]) => [ctx.b.mul(g!, ctx.v(node.outputs[0]))];

const where: GradRule = (ctx, node, [g], needs) => {
  const [c, a, b] = node.inputs.map((n) => ctx.v(n));
  const zero = ctx.scalar(0);
  return [
    null,
    needs[1] ? ctx.unbroadcast(ctx.b.where(c, g!, zero), a.name, node.outputs[0]) : null,
    needs[2] ? ctx.unbroadcast(ctx.b.where(c, zero, g!), b.name, node.outputs[0]) : null,
  ];
};

/** Cast between float types: the gradient is cast back to the input's type. */
const cast: GradRule = (ctx, node, [g]) => {
  const from = ctx.shapes.dtype(node.inputs[0]);
  if (from === null) return [g];
  return [ctx.shapes.dtype(node.outputs[0]) === from ? g : ctx.b.cast(g!, from)];
};

export const ELEMENTWISE_RULES: Record<string, GradRule> = {
  Add: add,
  Sum: sum,
  Sub: sub,
  Mul: mul,
  Div: div,
  Pow: pow,
  Neg: neg,
  Identity: identity,
  Sqrt: sqrt,
  Exp: exp,
  Where: where,
  Cast: cast,
};
