/**
 * Fused backward of SPLADE's max over tokens of a vocabulary projection (model/splade-pooling.ts):
 *   P = A · Bm    A [B, T, C] features, Bm [C, V] (= Wᵀ, W [V, C] the decoder / tied word embeddings)
 *   y = max_t P   y [B, V]
 * The gradient of y reaches P only at the arg-max token of each (b, v) (the first among ties, PyTorch's
 * `max(dim)` convention, as rules/reduce.ts; test/gradcheck/max-matmul.test.ts checks it exactly), so dP has
 * at most B·V non-zeros out of B·T·V.
 *
 * Active words. The incoming gradient g [B, V] is exactly zero for every word whose SPLADE activation is off in
 * every row (relu′ = 0 there): in a trained or well-initialised SPLADE model that is almost all of the
 * vocabulary (a document has a few hundred active words out of 30,522). The rule works on the K words active
 * in some row (idx [K] = NonZero of Σ_b |g[b, ·]|), so its cost follows K, up to K = V for a dense model:
 *   gK = g[:, idx] [B, K],  a = (first arg-max over t of P)[:, idx] [B, K] (TopK k = 1 over all of P, one
 *   pass like the forward's ReduceMax: lower index on ties, ONNX spec),  WK = W[idx] [K, C] (gathered per
 *   chunk);  then, with the K words in chunks Kc (a fixed count, sized for K = V):
 *   dW[idx, :] = Σ_b gK[b,k] · A[b, a[b,k], :]
 *            = Gather(A's rows at a, laid out [Kc, B, C]) contracted with gK [Kc, 1, B]: a batched
 *              [1, B]·[B, C] product per word, B·K·C multiply-adds (no dense [V, B·T] · [B·T, C] product),
 *              written into zeros [V, C] by ScatterND (idx has no repeats, so its parallel kernel is exact);
 *   dA[b, t, :] = Σ_{k : a[b,k] = t} gK[b,k] · WK[k, :]
 *            = M_b · WK_c with M[b, t, k] = gK[b,k] · [a[b,k] = t], a one-hot [B, T, Kc] chunk and a dense
 *              product, B·T·K·C multiply-adds.
 * dA is a many-to-one sum (several words share a token), which a scatter-add would do in B·K·C updates; but
 * onnxruntime's ScatterElements runs single-threaded at ~80 M updates/s (7.9 s of a 19 s DistilBERT-base step,
 * profiled, with K = V) and its ScatterND add races on repeated rows, while the one-hot product runs at GEMM
 * speed on every core. The one-hot is Cast(Equal) · g: Where runs on one thread (~1.6× slower here).
 * The MatMul itself receives no gradient and its rule does not run.
 * Tests: test/gradcheck/max-matmul.test.ts (and the whole-model checks, which take this path).
 */
import type { V } from "../../builder.js";
import type { Node } from "../../ir.js";
import type { GradContext } from "../context.js";

/** Default budget of C·Kc elements per chunk at K = V (times B rows): 4 Mi → 6 chunks at 768 × 30522. */
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

/** Number of chunks of the active words: sized for the whole vocabulary (one when V is not static). */
function chunkCount(ctx: GradContext, bmName: string): number {
  const sb = ctx.shapes.shape(bmName);
  const C = typeof sb?.[0] === "number" ? sb[0] : null;
  const vocab = typeof sb?.[1] === "number" ? sb[1] : null;
  if (C === null || vocab === null) return 1;
  return Math.max(1, Math.ceil((C * vocab) / (ctx.options.maxMatMulChunkElements ?? DEFAULT_CHUNK_ELEMENTS)));
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
  const scalar = (x: V) => b.reshape(x, []);
  const range = (n: V) => b.op("Range", [b.constInt64([0], []), n, b.constInt64([1], [])]) as V;

  const active = b.greater(b.reduceSum(b.abs(g), [0], false), ctx.scalar(0)); // [V]
  const idx = b.reshape(b.op("NonZero", [active]) as V, [-1]); // [K]
  const K = b.shape(idx); // [1]
  const gK = b.gather(g, idx, 1); // [B, K]
  // The arg-max over the whole product, then the active words' columns of it: gathering P's columns first
  // copies P element by element when K ≈ V (0.15–0.3 s per document column at DistilBERT-base size, profiled).
  const top = b.op("TopK", [ctx.v(reduceMax.inputs[0]), i64(1)], { axis: 1 }, { outputs: 2 }) as V[]; // [B, 1, V]
  const arg = b.squeeze(b.gather(top[1], idx, 2), [1]); // [B, K]

  const shapeA = ctx.shapeOf(aName);
  const tokens = b.gather(shapeA, i64(1), 0); // [1]
  const tokenIds = b.unsqueeze(range(scalar(tokens)), [0, 2]); // [1, T, 1]
  const rowStart = b.mul(b.unsqueeze(range(scalar(b.gather(shapeA, i64(0), 0))), [1]), tokens); // [B, 1]
  const rowsByWord = needW ? b.transpose(b.add(arg, rowStart), [1, 0]) : null; // [K, B]: row of A2 = b·T + a[b, k]
  const A2 = needW ? (b.op("Flatten", [ctx.v(aName)], { axis: 2 }) as V) : null; // [B·T, C]
  const gByWord = needW ? b.unsqueeze(b.transpose(gK, [1, 0]), [1]) : null; // [K, 1, B]

  const chunks = chunkCount(ctx, bmName);
  const dA: V[] = [];
  const dW: V[] = [];
  for (let k = 0; k < chunks; k++) {
    // Chunk k holds words [⌊k·K/n⌋, ⌊(k+1)·K/n⌋) of the K active ones (runtime bounds).
    const bound = (j: number) => b.div(b.mul(K, i64(j)), i64(chunks));
    const slice = (x: V, axis: number) => (chunks === 1 ? x : (b.op("Slice", [x, bound(k), bound(k + 1), i64(axis)]) as V));
    if (needA) {
      const oneHot = b.cast(b.equal(b.unsqueeze(slice(arg, 1), [1]), tokenIds), "float32"); // [B, T, Kc]
      const M = b.mul(oneHot, b.unsqueeze(slice(gK, 1), [1])); // [B, T, Kc]
      // The chunk's rows of W, gathered directly (no [K, C] copy of W sliced again per chunk).
      const WKc = wName ? b.gather(ctx.v(wName), slice(idx, 0), 0) : b.transpose(b.gather(ctx.v(bmName), slice(idx, 0), 1), [1, 0]); // [Kc, C]
      dA.push(b.matmul(M, WKc)); // [B, T, C]
    }
    if (needW) {
      const rows = b.gather(A2!, slice(rowsByWord!, 0), 0); // [Kc, B, C]
      const prod = b.matmul(slice(gByWord!, 0), rows); // [Kc, 1, C]
      dW.push(b.op("Flatten", [prod], { axis: 1 }) as V); // [Kc, C]
    }
  }
  if (needA) ctx.contribute(aName, dA.length === 1 ? dA[0] : (b.op("Sum", dA) as V));
  if (needW) {
    const dWK = dW.length === 1 ? dW[0] : b.concat(dW, 0); // [K, C]
    const zeros = wName ? ctx.zerosLike(wName) : b.transpose(ctx.zerosLike(bmName), [1, 0]); // [V, C]
    const full = b.op("ScatterND", [zeros, b.unsqueeze(idx, [1]), dWK]) as V; // [V, C]
    if (wName) ctx.contribute(wName, full);
    else ctx.contribute(bmName, b.transpose(full, [1, 0]));
  }
}
