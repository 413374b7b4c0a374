/**
 * Gradient of Gather along axis 0 — the embedding lookup E[ids]: E [N, C], ids [B, T] → Y [B, T, C].
 *   dE = scatter-add of g's rows at ids (GradContext.scatterAddRows: ScatterElements with reduction "add", not
 *   ScatterND, whose CPU kernel races on repeated rows), so a token that occurs several times receives the
 *   sum of its rows' gradients (PyTorch's embedding_backward, dense). The rows are handed to differentiate as
 *   a sparse contribution (GradContext.contributeRows): every lookup of the same table (one per training
 *   column) and the tied decoder's dense gradient end in one scatter onto one [N, C] sum.
 * Negative indices are wrapped (ids + N) as Gather does. Other axes are not used by the project's graphs and
 * throw UNSUPPORTED. Alternative considered: one-hot(ids)ᵀ·g as a MatMul costs N·B·T·C multiply-adds
 * (≈ 96 GFLOP at DistilBERT-base, 16 × 256 tokens) against B·T·C adds for the scatter.
 * Forward: GraphBuilder.gather. Tests: test/gradcheck/gather.test.ts.
 */
import type { V } from "../../builder.js";
import { SpladeError } from "../../../util/errors.js";
import type { GradRule } from "../rule.js";

const gather: GradRule = (ctx, node, [g]) => {
  const axis = (node.attributes.axis as number | undefined) ?? 0;
  if (axis !== 0) throw new SpladeError("UNSUPPORTED", `autodiff: Gather '${node.name}' along axis ${axis} (only axis 0 is differentiated)`);
  const b = ctx.b;
  const [data, indices] = node.inputs;
  const n = b.gather(ctx.shapeOf(data), b.constInt64([0]), 0); // [1] = N
  let ids = ctx.v(indices);
  if (ctx.shapes.dtype(indices) === "int32") ids = b.cast(ids, "int64");
  const zero = b.constInt64([0], []);
  ids = b.where(b.op("Less", [ids, zero]) as V, b.add(ids, b.reshape(n, [])), ids);
  const rows = b.reshape(ids, [-1]); // [I]
  const rowShape = b.concat([b.constInt64([-1]), b.slice(ctx.shapeOf(data), [1], [Number.MAX_SAFE_INTEGER], [0])], 0);
  const updates = b.reshapeTo(g!, rowShape); // [I, C…] flattened to [I, C]
  ctx.contributeRows(data, rows, b.op("Flatten", [updates], { axis: 1 }) as V); // [I], [I, C]
  return [null, null];
};

export const GATHER_RULES: Record<string, GradRule> = { Gather: gather };
