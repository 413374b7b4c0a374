/**
 * Gradients of matrix products.
 *
 * MatMul (numpy semantics, both operands of rank ≥ 2): A [..., M, K] · B [..., K, N] = Y [..., M, N]
 *   dA = g · Bᵀ, summed over the batch axes A was broadcast along            // [..., M, K]
 *   dB = Aᵀ · g, likewise; when B is a 2-D weight [K, N] and A is batched (a linear layer on [B, T, C]),
 *        dB = flatten(A)ᵀ · flatten(g) as one [K, B·T]·[B·T, N] product instead of a batched product and a sum.
 * Rank-1 operands are not used by the project's graphs and throw UNSUPPORTED.
 *
 * Gemm: Y = α·op(A)·op(B) + β·C, op = optional transpose (2-D only)
 *   dA = α·g·op(B)ᵀ (transA: α·op(B)·gᵀ),  dB = α·op(A)ᵀ·g (transB: α·gᵀ·op(A)),  dC = β·sum_to_size(g, C)
 * Forward: GraphBuilder.matmul/gemm. Tests: test/gradcheck/matmul.test.ts.
 */
import type { V } from "../../builder.js";
import type { Node } from "../../ir.js";
import { SpladeError } from "../../../util/errors.js";
import type { GradContext } from "../context.js";
import type { GradRule } from "../rule.js";

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

function rankAtLeast2(ctx: GradContext, name: string, node: Node): number {
  const r = ctx.rankOf(name, node);
  if (r < 2) throw new SpladeError("UNSUPPORTED", `autodiff: MatMul '${node.name}' has a rank-${r} operand '${name}' (only rank ≥ 2 is differentiated)`);
  return r;
}

const matmul: GradRule = (ctx, node, [g], needs) => {
  const b = ctx.b;
  const [aName, bName] = node.inputs;
  const y = node.outputs[0];
  const ra = rankAtLeast2(ctx, aName, node);
  const rb = rankAtLeast2(ctx, bName, node);
  let dA: V | null = null;
  let dB: V | null = null;
  if (needs[0]) {
    const bt = b.transpose(ctx.v(bName), swapLast(rb));
    dA = ctx.unbroadcastBatch(b.matmul(g!, bt), aName, y);
  }
  if (needs[1]) {
    if (rb === 2 && ra > 2) {
      const a2 = b.op("Flatten", [ctx.v(aName)], { axis: ra - 1 }) as V; // [B·T, K]
      const g2 = b.op("Flatten", [g!], { axis: ra - 1 }) as V; // [B·T, N]
      dB = b.gemm(a2, g2, null, { transA: true }); // [K, N]
    } else {
      const at = b.transpose(ctx.v(aName), swapLast(ra));
      dB = ctx.unbroadcastBatch(b.matmul(at, g!), bName, y);
    }
  }
  return [dA, dB];
};

const gemm: GradRule = (ctx, node, [g], needs) => {
  const b = ctx.b;
  const transA = Boolean(node.attributes.transA);
  const transB = Boolean(node.attributes.transB);
  const alpha = floatAttr(node.attributes.alpha, 1);
  const beta = floatAttr(node.attributes.beta, 1);
  const [A, B] = [ctx.v(node.inputs[0]), ctx.v(node.inputs[1])];
  const dA = !needs[0]
    ? null
    : transA
      ? b.gemm(B, g!, null, { transA: transB, transB: true, alpha })
      : b.gemm(g!, B, null, { transB: !transB, alpha });
  const dB = !needs[1]
    ? null
    : transB
      ? b.gemm(g!, A, null, { transA: true, transB: transA, alpha })
      : b.gemm(A, g!, null, { transA: !transA, alpha });
  let dC: V | null = null;
  if (needs[2]) {
    const summed = ctx.unbroadcast(g!, node.inputs[2], node.outputs[0]);
    dC = beta === 1 ? summed : b.mul(summed, ctx.scalar(beta));
  }
  return node.inputs.length > 2 ? [dA, dB, dC] : [dA, dB];
};

function floatAttr(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number") return value;
  return (value as { float: number }).float;
}

export const MATMUL_RULES: Record<string, GradRule> = { MatMul: matmul, Gemm: gemm };
