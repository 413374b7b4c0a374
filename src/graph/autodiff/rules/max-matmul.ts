/**
 * Fused backward of SPLADE's max over tokens of a vocabulary projection (model/splade-pooling.ts):
 *   P = A · Bm    A [B, T, C] features, Bm [C, V] (= Wᵀ, W [V, C] the decoder / tied word embeddings)
 *   y = max_t P   y [B, V]
 * The gradient of y reaches P only at the arg-max token of each (b, v) (the first among ties, PyTorch's
 * `max(dim)` convention, as rules/reduce.ts), so dP has B·V non-zeros out of B·T·V. Instead of forming dP
 * densely and multiplying it back through the MatMul (2·B·T·V·C multiply-adds plus three passes over a
 * [B, T, V] tensor), with a = argmax_t P [B, V]:
 *   dA[b, a[b,v], :] += g[b,v] · W[v, :]           (scatter-add of rows)             B·V·C
 *   dW[v, :]          = Σ_b g[b,v] · A[b, a[b,v], :] (Gather of A's rows, sum over b)  B·V·C
 * The MatMul itself then receives no gradient and its rule does not run; the contributions go straight to
 * A and to W (or to Bm when Bm is not a transposed weight). V is processed in chunks so that the [B, Vc, C]
 * temporaries stay small at DistilBERT-base size.
 * Tests: test/gradcheck/max-matmul.test.ts (and the whole-model checks, which take this path).
 */
import type { V } from "../../builder.js";
import type { Node } from "../../ir.js";
import type { GradContext } from "../context.js";

/** Default budget of C·Vc elements per chunk (times B rows): 4 Mi → 6 chunks at 768 × 30522. */
export const DEFAULT_CHUNK_ELEMENTS = 4 * 1024 * 1024;

/** The MatMul feeding a ReduceMax over axis 1 of a rank-3 tensor, when this fused rule applies. */
export function fusableMatMul(ctx: GradContext, reduceMax: Node, axes: number[], keepdims: boolean): Node | null {
  if (keepdims || axes.length !== 1) return null;
  const x = reduceMax.inputs[0];
  if (ctx.shapes.rank(x) !== 3 || (axes[0] !== 1 && axes[0] !== -2)) return null;
  const mm = ctx.producer(x);
  if (!mm || mm.op !== "MatMul") return null;
  return ctx.shapes.rank(mm.inputs[0]) === 3 && ctx.shapes.rank(mm.inputs[1]) === 2 ? mm : null;
}

export function maxMatMulBackward(ctx: GradContext, reduceMax: Node, mm: Node, g: V): void {
  const b = ctx.b;
  const [aName, bmName] = mm.inputs;
  const transpose = ctx.producer(bmName);
  const wName = transpose && transpose.op === "Transpose" && JSON.stringify(transpose.attributes.perm) === "[1,0]" ? transpose.inputs[0] : null;
  const needA = ctx.requiresGrad(aName);
  const needW = ctx.requiresGrad(wName ?? bmName);
  if (!needA && !needW) return;
  const i64 = (v: number) => b.constInt64([v]);
  const W = wName ? ctx.v(wName) : b.transpose(ctx.v(bmName), [1, 0]); // [V, C]
  const arg = b.op("ArgMax", [ctx.v(reduceMax.inputs[0])], { axis: 1, keepdims: 0, select_last_index: 0 }) as V; // [B, V]
  const shapeA = ctx.shapeOf(aName);
  const tokens = b.gather(shapeA, i64(1), 0); // [1]
  const batch = b.reshape(b.gather(shapeA, i64(0), 0), []);
  const rowStart = b.mul(b.unsqueeze(b.op("Range", [b.constInt64([0], []), batch, b.constInt64([1], [])]) as V, [1]), tokens); // [B, 1]
  const row = b.add(arg, rowStart); // [B, V]: row of A2 = b·T + a[b, v]
  const A2 = b.op("Flatten", [ctx.v(aName)], { axis: 2 }) as V; // [B·T, C]

  const sb = ctx.shapes.shape(bmName);
  const C = typeof sb?.[0] === "number" ? sb[0] : null;
  const vocab = typeof sb?.[1] === "number" ? sb[1] : null;
  const budget = ctx.options.maxMatMulChunkElements ?? DEFAULT_CHUNK_ELEMENTS;
  const chunks = C !== null && vocab !== null ? Math.max(1, Math.ceil((C * vocab) / budget)) : 1;
  const bounds = vocab === null ? [[0, Number.MAX_SAFE_INTEGER]] : Array.from({ length: chunks }, (_, k) => [Math.floor((k * vocab) / chunks), Math.floor(((k + 1) * vocab) / chunks)]);

  let dA2: V | null = needA ? ctx.zerosLike(A2.name) : null;
  const dW: V[] = [];
  for (const [v0, v1] of bounds) {
    const slice = (x: V, axis: number) => (chunks === 1 ? x : b.slice(x, [v0], [v1], [axis]));
    const gc = b.unsqueeze(slice(g, 1), [2]); // [B, Vc, 1]
    const rowc = slice(row, 1); // [B, Vc]
    if (dA2) {
      const updates = b.op("Flatten", [b.mul(gc, slice(W, 0))], { axis: 2 }) as V; // [B·Vc, C]
      dA2 = ctx.scatterAddRows(dA2, b.reshape(rowc, [-1]), updates); // [B·T, C]
    }
    if (needW) dW.push(b.reduceSum(b.mul(b.gather(A2, rowc, 0), gc), [0], false)); // [Vc, C]
  }
  if (dA2) ctx.contribute(aName, b.reshapeTo(dA2, shapeA));
  if (needW) {
    const full = dW.length === 1 ? dW[0] : b.concat(dW, 0); // [V, C]
    if (wName) ctx.contribute(wName, full);
    else ctx.contribute(bmName, b.transpose(full, [1, 0]));
  }
}
