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
 *            = M_b · W[words_b] with M[b, t, k] = gK[b,k] · [a[b,k] = t], a one-hot and a dense product.
 * dA is a many-to-one sum (several words share a token), which a scatter-add would do in B·K·C updates; but
 * onnxruntime's ScatterElements runs single-threaded at ~80 M updates/s (7.9 s of a 19 s DistilBERT-base step,
 * profiled, with K = V) and its ScatterND add races on repeated rows (measured on 2 threads: sums off by up
 * to 3–5 %), while a one-hot product runs at GEMM speed on every core. Over all T tokens that product costs
 * B·T·K·C multiply-adds (0.8 s of a dense DistilBERT-base step, 12 % of its products). So each row's words are
 * first sorted by arg-max token (TopK k = K, ascending; the gradient and word ids follow by GatherElements):
 * a chunk of Kc consecutive sorted words then falls in a window of about T·Kc/K tokens of every row, and the
 * one-hot is [B, W, Kc] over that window only (windowProduct), times each row's gathered rows of W
 * [B, Kc, C]: B·W·K·C multiply-adds plus a B·K·C gather. dA's chunks are smaller than dW's
 * (DEFAULT_WINDOW_CHUNK_ELEMENTS), for narrower windows. Dense DistilBERT-base step, quiet, in onnxruntime:
 * 8.16 s → 7.31 s. The one-hot is Cast(Equal) · g: Where runs on one thread (~1.6× slower here).
 * The MatMul itself receives no gradient and its rule does not run.
 * Tests: test/gradcheck/max-matmul.test.ts (and the whole-model checks, which take this path).
 */
import type { V } from "../../builder.js";
import type { Node } from "../../ir.js";
import type { GradContext } from "../context.js";

/**
 * Default budget of C·Kc elements per chunk of dW's words at K = V (times B rows): 512 Ki → 45 chunks at
 * 768 × 30522, so that a chunk's gathered feature rows [Kc, B, C] (17 MB at B = 8) stay in the last-level cache
 * for the product that reads them. DistilBERT-base size, dense, AMD EPYC 2 vCPUs (32 MB L3), profiled: the
 * gather and the product 0.164 s per step with 6 chunks (125 MB each), 0.092 s with 45, 0.071 s with 90; the
 * step session's creation 3.3 s, 4.4 s, 5.3 s.
 */
export const DEFAULT_CHUNK_ELEMENTS = 512 * 1024;
/**
 * Default budget of C·Kc elements per chunk of dA's sorted words: 1 Mi → 24 chunks at 768 × 30522, so that a
 * chunk's tokens span a window of about T/24 tokens per row (measured at DistilBERT-base size, dense: 6 chunks
 * 7.45 s per step in onnxruntime, 12 chunks 7.50 s, 24 chunks 7.31 s).
 */
export const DEFAULT_WINDOW_CHUNK_ELEMENTS = 1024 * 1024;

/** The MatMul feeding a ReduceMax over axis 1 of a rank-3 tensor, when this fused rule applies. */
export function fusableMatMul(ctx: GradContext, reduceMax: Node, axes: number[], keepdims: boolean): Node | null {
  if (keepdims || axes.length !== 1) return null;
  const x = reduceMax.inputs[0];
  if (ctx.shapes.rank(x) !== 3 || (axes[0] !== 1 && axes[0] !== -2)) return null;
  const mm = ctx.producer(x);
  if (!mm || mm.op !== "MatMul") return null;
  return ctx.shapes.rank(mm.inputs[0]) === 3 && ctx.shapes.rank(mm.inputs[1]) === 2 ? mm : null;
}

/** 0, 1, …, n − 1 (n a scalar). */
function range(ctx: GradContext, n: V): V {
  return ctx.b.op("Range", [ctx.b.constInt64([0], []), n, ctx.b.constInt64([1], [])]) as V;
}

/** The n chunks of K words: chunk k is [lo[k], hi[k]) = [⌊k·K/n⌋, ⌊(k+1)·K/n⌋), [n] each (K a [1] tensor). */
function chunkBounds(ctx: GradContext, K: V, n: number): { lo: V; hi: V } {
  const b = ctx.b;
  const edges = b.div(b.mul(K, b.constInt64(Array.from({ length: n + 1 }, (_, j) => j))), b.constInt64([n])); // [n + 1]
  return { lo: b.slice(edges, [0], [n], [0]), hi: b.slice(edges, [1], [n + 1], [0]) };
}

/**
 * x cut along `axis` into n chunks of `sizes` [n] by one Split, so that a chunk adds no nodes of its own
 * (onnxruntime's session creation grows faster than linearly with the node count).
 */
function splitChunks(ctx: GradContext, x: V, sizes: V, n: number, axis: number): V[] {
  return n === 1 ? [x] : (ctx.b.op("Split", [x, sizes], { axis }, { outputs: n }) as V[]);
}

/**
 * Number of chunks of the active words: sized for the whole vocabulary (one when V is not static), with
 * `maxMatMulChunkElements` (both passes) or the pass's default budget.
 */
function chunkCount(ctx: GradContext, bmName: string, fallback: number): number {
  const sb = ctx.shapes.shape(bmName);
  const C = typeof sb?.[0] === "number" ? sb[0] : null;
  const vocab = typeof sb?.[1] === "number" ? sb[1] : null;
  if (C === null || vocab === null) return 1;
  return Math.max(1, Math.ceil((C * vocab) / (ctx.options.maxMatMulChunkElements ?? fallback)));
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
  const rowStart = b.mul(b.unsqueeze(range(ctx, scalar(b.gather(shapeA, i64(0), 0))), [1]), tokens); // [B, 1]
  const rowsByWord = needW ? b.transpose(b.add(arg, rowStart), [1, 0]) : null; // [K, B]: row of A2 = b·T + a[b, k]
  const A2 = needW ? (b.op("Flatten", [ctx.v(aName)], { axis: 2 }) as V) : null; // [B·T, C]
  const gByWord = needW ? b.unsqueeze(b.transpose(gK, [1, 0]), [1]) : null; // [K, 1, B]

  let dA: V | null = null;
  if (needA) {
    // Each row's active words sorted by arg-max token, in chunks: a chunk's tokens span a window of the row.
    const sorted = sortedByToken(ctx, arg, gK, idx, K, shapeA, rowStart);
    const n = chunkCount(ctx, bmName, DEFAULT_WINDOW_CHUNK_ELEMENTS);
    const w = tokenWindows(ctx, sorted, n, K, tokens);
    // The chunks of the sorted tokens, gradient and words: one Split each.
    const sizes = b.sub(w.hi, w.lo); // [n]
    const split = (x: V) => splitChunks(ctx, x, sizes, n, 1);
    const chunked: SplitWords = { tokens: split(sorted.tokens), g: split(sorted.g), words: split(sorted.words) };
    let acc = sorted.zeros; // [B·T, C]
    for (let k = 0; k < n; k++) acc = windowProduct(ctx, chunked, w, k, acc, wName ?? bmName, wName !== null);
    dA = acc;
  }
  const dW: V[] = [];
  if (needW) {
    // The chunks of the words: one Split each of rows and gradient, so that a chunk adds two nodes.
    const chunks = chunkCount(ctx, bmName, DEFAULT_CHUNK_ELEMENTS);
    const { lo, hi } = chunkBounds(ctx, K, chunks);
    const sizes = b.sub(hi, lo); // [n]
    const rowsChunks = splitChunks(ctx, rowsByWord!, sizes, chunks, 0); // [Kc, B] each
    const gChunks = splitChunks(ctx, gByWord!, sizes, chunks, 0); // [Kc, 1, B] each
    for (let k = 0; k < chunks; k++) dW.push(b.matmul(gChunks[k], b.gather(A2!, rowsChunks[k], 0))); // [Kc, 1, B]·[Kc, B, C] = [Kc, 1, C]
  }
  if (dA !== null) ctx.contribute(aName, b.reshapeTo(dA, shapeA));
  if (needW) {
    const dWK = b.op("Flatten", [dW.length === 1 ? dW[0] : b.concat(dW, 0)], { axis: 1 }) as V; // [K, C]
    const zeros = wName ? ctx.zerosLike(wName) : b.transpose(ctx.zerosLike(bmName), [1, 0]); // [V, C]
    const full = b.op("ScatterND", [zeros, b.unsqueeze(idx, [1]), dWK]) as V; // [V, C]
    if (wName) ctx.contribute(wName, full);
    else ctx.contribute(bmName, b.transpose(full, [1, 0]));
  }
}

interface SortedWords {
  /** Arg-max token of each row's active words, ascending [B, K], and the same with a sentinel 0 column [B, K + 1]. */
  tokens: V;
  pad: V;
  /** The incoming gradient and the vocabulary ids in that order [B, K]. */
  g: V;
  words: V;
  /** Zeros [B·T, C] (where the windows' sums start) and each row's first flat row b·T [B, 1]. */
  zeros: V;
  rowStart: V;
}

/** SortedWords' tokens, gradient and word ids [B, K], split into the n chunks [B, Kc]. */
interface SplitWords {
  tokens: V[];
  g: V[];
  words: V[];
}

interface TokenWindows {
  /** Chunk k holds sorted words [lo[k], hi[k]) = [⌊k·K/n⌋, ⌊(k+1)·K/n⌋) [n]. */
  lo: V;
  hi: V;
  /** Its window: `width` [n] tokens from start [B, n] in each row, base = b·T + start [B, n]. */
  width: V;
  start: V;
  base: V;
}

/**
 * The windows of all n chunks at once (so that each chunk adds few nodes: onnxruntime's session creation
 * grows with them). Chunk k's tokens lie in [first_bk, last_bk] (sorted), so a window of
 * W_k = max_b (last_bk − first_bk + 1) tokens starting at s_bk = min(first_bk, T − W_k) (inside the row) holds
 * them. The bounds are read from the sorted tokens with a sentinel column: an empty chunk reads it, and its
 * window (at least one token) receives an empty product.
 */
function tokenWindows(ctx: GradContext, s: SortedWords, n: number, K: V, tokens: V): TokenWindows {
  const b = ctx.b;
  const i64 = (v: number) => b.constInt64([v]);
  const T = b.reshape(tokens, []);
  const { lo, hi } = chunkBounds(ctx, K, n);
  const at = (j: V) => b.gather(s.pad, b.min2(b.max2(j, i64(0)), K), 1); // [B, n]
  const first = at(lo);
  const last = at(b.sub(hi, i64(1)));
  const width = b.min2(b.max2(b.reduceMax(b.add(b.sub(last, first), i64(1)), [0], false), i64(1)), T); // [n]
  const start = b.min2(first, b.sub(T, width)); // [B, n]
  return { lo, hi, width, start, base: b.add(s.rowStart, start) };
}

/**
 * dA of chunk k of each row's sorted words, over its window (tokenWindows):
 *   dA[b, s_bk + w, :] += Σ_{j in chunk k} [t_bj = s_bk + w] · g_bj · W[word_bj, :]
 * a one-hot [B, W, Kc] times each row's gathered weight rows [B, Kc, C], added to the window's rows of the
 * running sum `acc` [B·T, C] (GatherND, Add, ScatterND: the rows of one window are distinct, so ScatterND writes
 * each once, without the racing add reduction; 0.04 s less per dense step than a Sum of zero-padded chunks).
 */
function windowProduct(ctx: GradContext, s: SplitWords, w: TokenWindows, k: number, acc: V, weight: string, tied: boolean): V {
  const b = ctx.b;
  const at = b.constInt64([k]);
  const slice = (x: V[]) => x[k];
  const window = range(ctx, b.gather(w.width, b.constInt64([k], []), 0)); // [W]
  const start = b.gather(w.start, at, 1); // [B, 1]
  const oneHot = b.cast(b.equal(b.unsqueeze(b.sub(slice(s.tokens), start), [1]), b.unsqueeze(window, [0, 2])), "float32"); // [B, W, Kc]
  const M = b.mul(oneHot, b.unsqueeze(slice(s.g), [1])); // [B, W, Kc]
  const rowsW = tied ? b.gather(ctx.v(weight), slice(s.words), 0) : b.transpose(b.gather(ctx.v(weight), slice(s.words), 1), [1, 2, 0]); // [B, Kc, C]
  const rows = b.unsqueeze(b.add(b.gather(w.base, at, 1), b.unsqueeze(window, [0])), [2]); // [B, W, 1]: b·T + s_bk + w
  const sum = b.add(b.op("GatherND", [acc, rows]) as V, b.matmul(M, rowsW)); // [B, W, C]
  return b.op("ScatterND", [acc, rows, sum]) as V; // [B·T, C]
}

/** Each row's active words sorted by their arg-max token (TopK k = K ascending), for dA's windows. */
function sortedByToken(ctx: GradContext, arg: V, gK: V, idx: V, K: V, shapeA: V, rowStart: V): SortedWords {
  const b = ctx.b;
  const order = (b.op("TopK", [arg, K], { axis: 1, largest: 0, sorted: 1 }, { outputs: 2 }) as V[])[1]; // [B, K]
  const tokens = b.op("GatherElements", [arg, order], { axis: 1 }) as V;
  const rowsShape = b.concat([b.gather(shapeA, b.constInt64([0]), 0), b.constInt64([1])], 0); // [B, 1]
  const sentinel = b.op("ConstantOfShape", [rowsShape], { value: { dtype: "int64", dims: [1], data: new BigInt64Array([0n]) } }) as V;
  const flatShape = b.concat([b.mul(b.gather(shapeA, b.constInt64([0]), 0), b.gather(shapeA, b.constInt64([1]), 0)), b.gather(shapeA, b.constInt64([2]), 0)], 0); // [B·T, C]
  const zeros = b.op("ConstantOfShape", [flatShape], { value: { dtype: "float32", dims: [1], data: new Float32Array([0]) } }) as V;
  return {
    tokens,
    pad: b.concat([tokens, sentinel], 1),
    g: b.op("GatherElements", [gK, order], { axis: 1 }) as V,
    words: b.gather(idx, order, 0),
    zeros,
    rowStart,
  };
}
