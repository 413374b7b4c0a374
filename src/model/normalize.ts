/**
 * sentence-transformers' Normalize module: x / max(‖x‖₂, 1e-12) along the last axis (torch
 * `F.normalize(p=2, dim=1)`), in the graph.
 */
import type { V } from "../graph/builder.js";
import type { ModelContext } from "./context.js";

export function l2Normalize(ctx: ModelContext, x: V): V {
  const { g } = ctx;
  const norm = g.sqrt(g.reduceSum(g.mul(x, x), [-1], true)); // [..., 1]
  return g.div(x, g.max2(norm, g.constScalar(1e-12)));
}
