/**
 * Fused backward of SPLADE's max over tokens of a vocabulary projection (model/splade-pooling.ts):
 *   P = A · Bm    A [B, T, C] features, Bm [C, V] (= Wᵀ, W [V, C] the decoder / tied word embeddings)
 *   y = max_t P   y [B, V]
 * The gradient of y reaches P only at the arg-max token of each (b, v) (the first among ties, PyTorch's
 * `max(dim)` convention, as rules/reduce.ts; test/gradcheck/max-matmul.test.ts checks it exactly), so dP has B·V non-zeros out of B·T·V. With a = argmax_t P
 * [B, V] and the vocabulary taken in chunks Vc (so no temporary is [B, T, V]):
 *   dW[v, :] = Σ_b g[b,v] · A[b, a[b,v], :]
 *            = Gather(A's rows at a, laid out [Vc, B, C]) contracted with g [Vc, 1, B]: a batched
 *              [1, B]·[B, C] product per word, B·Vc·C multiply-adds (no dense [V, B·T] · [B·T, C] product);
 *   dA[b, t, :] = Σ_{v : a[b,v] = t} g[b,v] · W[v, :]
 *            = M_b · W_c with M[b, t, v] = g[b,v] · [a[b,v] = t], a one-hot [B, T, Vc] chunk and a dense
 *              product, B·T·Vc·C multiply-adds per chunk.
 * dA is a many-to-one sum (several words share a token), which a scatter-add would do in B·V·C updates; but
 * onnxruntime's ScatterElements runs single-threaded at ~80 M updates/s (7.9 s of a 19 s DistilBERT-base step,
 * profiled) and its ScatterND add races on repeated rows, while the one-hot product runs at GEMM speed on
 * every core (~1.2 s for the same step). The MatMul itself receives no gradient and its rule does not run.
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

/** Vocabulary slices of a weight, shared by every column's ReduceMax that projects through it. */
const weightSlices = new WeakMap<GradContext, Map<string, V>>();

function weightSlice(ctx: GradContext, W: V, v0: number, v1: number): V {
  let cache = weightSlices.get(ctx);
  if (!cache) weightSlices.set(ctx, (cache = new Map()));
  const key = `${W.name}:${v0}:${v1}`;
  let s = cache.get(key);
  if (!s) cache.set(key, (s = ctx.b.slice(W, [v0], [v1], [0])));
  return s;
}

/** [v0, v1) ranges of the vocabulary chunks (one unbounded range when V is not static). */
function chunkBounds(ctx: GradContext, bmName: string): number[][] {
  const sb = ctx.shapes.shape(bmName);
  const C = typeof sb?.[0] === "number" ? sb[0] : null;
  const vocab = typeof sb?.[1] === "number" ? sb[1] : null;
  if (C === null || vocab === null) return [[0, Number.MAX_SAFE_INTEGER]];
  const chunks = Math.max(1, Math.ceil((C * vocab) / (ctx.options.maxMatMulChunkElements ?? DEFAULT_CHUNK_ELEMENTS)));
  return Array.from({ length: chunks }, (_, k) => [Math.floor((k * vocab) / chunks), Math.floor(((k + 1) * vocab) / chunks)]);
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
  // The first arg-max: TopK(k = 1) breaks ties by the lower index (ONNX spec) and runs ~1.6× faster on
  // onnxruntime's CPU than ArgMax over the middle axis of a [B, T, V] tensor.
  const top = b.op("TopK", [ctx.v(reduceMax.inputs[0]), b.constInt64([1])], { axis: 1 }, { outputs: 2 }) as V[];
  const arg = b.squeeze(top[1], [1]); // [B, V]
  const shapeA = ctx.shapeOf(aName);
  const tokens = b.gather(shapeA, i64(1), 0); // [1]
  const scalar = (x: V) => b.reshape(x, []);
  const range = (n: V) => b.op("Range", [b.constInt64([0], []), n, b.constInt64([1], [])]) as V;
  const tokenIds = b.unsqueeze(range(scalar(tokens)), [0, 2]); // [1, T, 1]
  const rowStart = b.mul(b.unsqueeze(range(scalar(b.gather(shapeA, i64(0), 0))), [1]), tokens); // [B, 1]
  const rowsByWord = needW ? b.transpose(b.add(arg, rowStart), [1, 0]) : null; // [V, B]: row of A2 = b·T + a[b, v]
  const A2 = needW ? (b.op("Flatten", [ctx.v(aName)], { axis: 2 }) as V) : null; // [B·T, C]
  const gByWord = needW ? b.unsqueeze(b.transpose(g, [1, 0]), [1]) : null; // [V, 1, B]

  const bounds = chunkBounds(ctx, bmName);
  const dA: V[] = [];
  const dW: V[] = [];
  for (const [v0, v1] of bounds) {
    const slice = (x: V, axis: number) => (bounds.length === 1 ? x : b.slice(x, [v0], [v1], [axis]));
    if (needA) {
      // Cast and Mul rather than Where, which onnxruntime runs on one thread (~1.6× slower here).
      const oneHot = b.cast(b.equal(b.unsqueeze(slice(arg, 1), [1]), tokenIds), "float32"); // [B, T, Vc]
      const M = b.mul(oneHot, b.unsqueeze(slice(g, 1), [1])); // [B, T, Vc]
      dA.push(b.matmul(M, bounds.length === 1 ? W : weightSlice(ctx, W, v0, v1))); // [B, T, C]
    }
    if (needW) {
      const rows = b.gather(A2!, slice(rowsByWord!, 0), 0); // [Vc, B, C]
      const prod = b.matmul(slice(gByWord!, 0), rows); // [Vc, 1, C]
      dW.push(b.op("Flatten", [prod], { axis: 1 }) as V); // [Vc, C]
    }
  }
  if (needA) ctx.contribute(aName, dA.length === 1 ? dA[0] : (b.op("Sum", dA) as V));
  if (needW) {
    const full = dW.length === 1 ? dW[0] : b.concat(dW, 0); // [V, C]
    if (wName) ctx.contribute(wName, full);
    else ctx.contribute(bmName, b.transpose(full, [1, 0]));
  }
}
