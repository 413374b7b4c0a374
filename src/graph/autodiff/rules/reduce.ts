/**
 * Gradients of reductions (opset 18: axes as an input; keepdims; noop_with_empty_axes).
 *   ReduceSum:        dx = expand(g with the reduced axes restored as size 1, shape(x))
 *   ReduceMean:       dx = that / (size(x) / size(y))
 *   ReduceSumSquare:  dx = 2·x·expand(g)
 *   ReduceMax (one axis, the SPLADE max over tokens): the whole gradient goes to the single arg-max — the
 *     first index among ties — as PyTorch's `max(dim)` backward does (index_select backward). It is not the
 *     `amax` convention of splitting ties evenly. dx = scatter(zeros(x), argmax(x, axis), g) along the axis.
 *     Over the token axis of a vocabulary MatMul (SPLADE pooling) the fused sparse rule of max-matmul.ts runs.
 * Forward: GraphBuilder.reduceSum/reduceMean/reduceMax. Tests: test/gradcheck/reduce.test.ts.
 */
import type { V } from "../../builder.js";
import type { Node } from "../../ir.js";
import { SpladeError } from "../../../util/errors.js";
import type { GradContext } from "../context.js";
import type { GradRule } from "../rule.js";
import { fusableMatMul, maxMatMulBackward } from "./max-matmul.js";

interface Reduction {
  /** Reduced axes (as given, possibly negative), or "all". */
  axes: number[] | "all" | "none";
  keepdims: boolean;
}

function reduction(ctx: GradContext, node: Node): Reduction {
  const keepdims = (node.attributes.keepdims ?? 1) !== 0;
  const axesName = node.inputs[1];
  if (!axesName) return { axes: node.attributes.noop_with_empty_axes ? "none" : "all", keepdims };
  const axes = ctx.shapes.constInts(axesName);
  if (axes === null) throw new SpladeError("UNSUPPORTED", `autodiff: ${node.op} '${node.name}' has non-constant axes`);
  if (axes.length === 0) return { axes: node.attributes.noop_with_empty_axes ? "none" : "all", keepdims };
  return { axes, keepdims };
}

/** g (shaped like y) with the reduced axes back as size 1, broadcastable against x. */
function restoreAxes(ctx: GradContext, node: Node, g: V, r: Reduction): V {
  if (r.keepdims || r.axes === "none") return g;
  if (r.axes === "all") {
    const rank = ctx.rankOf(node.inputs[0], node);
    return ctx.b.reshape(g, Array.from({ length: rank }, () => 1));
  }
  // Negative axes count from the end of x, which is also the end of the unsqueezed result.
  return ctx.b.unsqueeze(g, r.axes);
}

function expandToInput(ctx: GradContext, node: Node, g: V, r: Reduction): V {
  const restored = restoreAxes(ctx, node, g, r);
  return ctx.b.op("Expand", [restored, ctx.shapeOf(node.inputs[0])]) as V;
}

const reduceSum: GradRule = (ctx, node, [g]) => [expandToInput(ctx, node, g!, reduction(ctx, node)), null];

const reduceMean: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const count = b.div(b.cast(b.op("Size", [ctx.v(node.inputs[0])]) as V, "float32"), b.cast(b.op("Size", [ctx.v(node.outputs[0])]) as V, "float32"));
  return [b.div(expandToInput(ctx, node, g!, reduction(ctx, node)), count), null];
};

const reduceSumSquare: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const x = ctx.v(node.inputs[0]);
  return [b.mul(b.mul(expandToInput(ctx, node, g!, reduction(ctx, node)), x), ctx.scalar(2)), null];
};

const reduceMax: GradRule = (ctx, node, [g]) => {
  const r = reduction(ctx, node);
  if (r.axes === "all" || r.axes === "none" || r.axes.length !== 1) {
    throw new SpladeError("UNSUPPORTED", `autodiff: ${node.op} '${node.name}' over several axes (only one axis is differentiated)`);
  }
  const mm = fusableMatMul(ctx, node, r.axes, r.keepdims);
  if (mm) {
    maxMatMulBackward(ctx, node, mm, g!);
    return [null, null];
  }
  const b = ctx.b;
  const axis = r.axes[0];
  const x = ctx.v(node.inputs[0]);
  const arg = b.op("ArgMax", [x], { axis, keepdims: 1, select_last_index: 0 }) as V; // first arg-max
  const gk = restoreAxes(ctx, node, g!, r);
  return [b.op("ScatterElements", [ctx.zerosLike(x.name), arg, gk], { axis }) as V, null];
};

export const REDUCE_RULES: Record<string, GradRule> = {
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceSumSquare: reduceSumSquare,
  ReduceMax: reduceMax,
};
