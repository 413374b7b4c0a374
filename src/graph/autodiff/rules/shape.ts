/**
 * Gradients of ops that only move elements: each routes g back to where the element came from.
 *   Reshape / Flatten: dx = reshape(g, shape(x))
 *   Transpose(perm):   dx = transpose(g, perm⁻¹)
 *   Unsqueeze(axes):   dx = squeeze(g, axes);  Squeeze(axes): dx = unsqueeze(g, axes) (no axes: reshape)
 *   Expand:            dx = sum_to_size(g, x)
 *   Concat(axis):      dx_i = Split(g, sizes of x_i along axis)
 *   Slice (steps 1):   dx = Pad(g) with zeros before `start` and after `end`, per sliced axis
 * Shape-valued inputs (Reshape's shape, axes, starts/ends) get no gradient.
 * Forward: GraphBuilder.reshape/transpose/unsqueeze/squeeze/concat/slice. Tests: test/gradcheck/shape.test.ts.
 */
import type { V } from "../../builder.js";
import { SpladeError } from "../../../util/errors.js";
import type { GradRule } from "../rule.js";

const reshape: GradRule = (ctx, node, [g]) => [ctx.reshapeLike(g!, node.inputs[0]), null];

const flatten: GradRule = (ctx, node, [g]) => [ctx.reshapeLike(g!, node.inputs[0])];

const transpose: GradRule = (ctx, node, [g]) => {
  let perm = node.attributes.perm as number[] | undefined;
  if (!perm) {
    const r = ctx.rankOf(node.inputs[0], node);
    perm = Array.from({ length: r }, (_, i) => r - 1 - i);
  }
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return [ctx.b.transpose(g!, inverse)];
};

const unsqueeze: GradRule = (ctx, node, [g]) => [ctx.b.op("Squeeze", [g!, ctx.v(node.inputs[1])]) as V, null];

const squeeze: GradRule = (ctx, node, [g]) => {
  if (node.inputs.length < 2 || node.inputs[1] === "") return [ctx.reshapeLike(g!, node.inputs[0])];
  return [ctx.b.op("Unsqueeze", [g!, ctx.v(node.inputs[1])]) as V, null];
};

const expand: GradRule = (ctx, node, [g]) => [ctx.unbroadcast(g!, node.inputs[0], node.outputs[0]), null];

const concat: GradRule = (ctx, node, [g], needs) => {
  const b = ctx.b;
  const axis = node.attributes.axis as number;
  const sizes = node.inputs.map((x) => b.gather(ctx.shapeOf(x), b.constInt64([axis]))); // [1] each
  const parts = b.op("Split", [g!, b.concat(sizes, 0)], { axis }, { outputs: node.inputs.length }) as V[];
  return parts.map((p, i) => (needs[i] ? p : null));
};

/** Slice with unit steps: pad the gradient back to the input's extent along each sliced axis. */
const slice: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const [x, startsName, , axesName, stepsName] = node.inputs; // the end is implied by start + g's extent
  const steps = stepsName ? ctx.shapes.constInts(stepsName) : null;
  if (stepsName && (steps === null || steps.some((s) => s !== 1))) {
    throw new SpladeError("UNSUPPORTED", `autodiff: Slice '${node.name}' has non-unit or non-constant steps`);
  }
  const rank = ctx.rankOf(x, node);
  const axes = axesName ? ctx.shapes.constInts(axesName) : Array.from({ length: ctx.shapes.constInts(startsName)?.length ?? rank }, (_, i) => i);
  if (axes === null) throw new SpladeError("UNSUPPORTED", `autodiff: Slice '${node.name}' has non-constant axes`);
  const dims = ctx.shapeOf(x); // [rank]
  const zero = b.constInt64([0]);
  const before: V[] = Array.from({ length: rank }, () => zero);
  const after: V[] = Array.from({ length: rank }, () => zero);
  axes.forEach((rawAxis, k) => {
    const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
    const dim = b.gather(dims, b.constInt64([axis])); // [1]
    let start = b.gather(ctx.v(startsName), b.constInt64([k])); // [1], may be negative or past the end
    start = b.where(b.op("Less", [start, zero]) as V, b.add(start, dim), start);
    start = b.min2(b.max2(start, zero), dim);
    const len = b.gather(b.shape(g!), b.constInt64([axis]));
    before[axis] = start;
    after[axis] = b.sub(b.sub(dim, start), len);
  });
  return [b.op("Pad", [g!, b.concat([...before, ...after], 0)]) as V, null, null, null, null].slice(0, node.inputs.length);
};

export const SHAPE_RULES: Record<string, GradRule> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Expand: expand,
  Concat: concat,
  Slice: slice,
};
