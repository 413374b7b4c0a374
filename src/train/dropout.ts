/**
 * Training-mode dropout whose masks are a pure function of (seed, site, element index), computed inside the
 * graph: y = x ⊙ keep / (1 − p), keep = [u ≥ p], u = hash(idx ⊕ key(seed, site, salt)) / 2³² — PyTorch's
 * inverted dropout (`F.dropout(x, p, training=True)`), with a different random source.
 *
 * Why not ONNX Dropout: its generator lives inside onnxruntime, so a run resumed from a checkpoint would draw
 * different masks. Here the trainer feeds one int64 seed per micro-batch (derived from the run's seed and the
 * step), so interrupting and resuming reproduces every mask; `salt` separates the columns of a batch
 * (query, positive, negatives), which run through the same sites.
 *
 * The hash is Chris Wellons' lowbias32 (x ^= x>>16; x *= 0x7feb352d; x ^= x>>15; x *= 0x846ca68b; x ^= x>>16),
 * evaluated on 32-bit values held in int64 tensors: shifts are divisions of non-negative values, and the
 * product by a multiplier c ≥ 2³¹ is formed as x·(c − 2³¹) + (x & 1)·2³¹ so that nothing overflows int64.
 * `lowbias32` below is the same function in JavaScript (test oracle). Elements per site must stay < 2³².
 */
import type { GraphBuilder, V } from "../graph/builder.js";
import type { DropoutHook } from "../model/context.js";

const M32 = 0xffffffff;
const C1 = 0x7feb352d;
const C2 = 0x846ca68b;

/** lowbias32 on an unsigned 32-bit integer (JavaScript reference). */
export function lowbias32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, C1) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, C2) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a of a site name: a stable 32-bit id for each dropout site. */
export function siteId(site: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < site.length; i++) {
    h ^= site.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The key of a site for a given seed (JavaScript reference of the in-graph scalar computation). */
export function siteKey(seed: number, site: string, salt: number): number {
  return lowbias32((seed ^ siteId(site) ^ Math.imul(salt + 1, 0x9e3779b9)) >>> 0);
}

/** The keep mask of `count` elements (JavaScript reference of the graph). */
export function dropoutKeepReference(seed: number, site: string, salt: number, count: number, p: number): Uint8Array {
  const key = siteKey(seed, site, salt);
  const keep = new Uint8Array(count);
  const threshold = Math.fround(p); // the graph compares in float32
  for (let i = 0; i < count; i++) keep[i] = Math.floor(lowbias32((i ^ key) >>> 0) / 256) / 2 ** 24 >= threshold ? 1 : 0;
  return keep;
}

/** Emits lowbias32 over int64 values in [0, 2³²). */
function lowbias32Graph(g: GraphBuilder, x: V): V {
  const i64 = (v: number) => g.constInt64([v], []);
  const shiftXor = (v: V, k: number) => g.op("BitwiseXor", [v, g.div(v, i64(2 ** k))]) as V;
  const mask32 = (v: V) => g.op("BitwiseAnd", [v, i64(M32)]) as V;
  const mulMod32 = (v: V, c: number): V => {
    if (c < 2 ** 31) return mask32(g.mul(v, i64(c)));
    const low = g.mul(v, i64(c - 2 ** 31));
    const high = g.mul(g.op("BitwiseAnd", [v, i64(1)]) as V, i64(2 ** 31));
    return mask32(g.add(low, high));
  };
  let h = shiftXor(x, 16);
  h = mulMod32(h, C1);
  h = shiftXor(h, 15);
  h = mulMod32(h, C2);
  return shiftXor(h, 16);
}

/**
 * A DropoutHook for one column of a training batch. `seed` is an int64 scalar graph input holding a value
 * in [0, 2³²); `salt` a small integer distinguishing the column.
 */
export function hashDropout(g: GraphBuilder, seed: V, salt: number): DropoutHook {
  return (x, p, site) => {
    const constant = (siteId(site) ^ Math.imul(salt + 1, 0x9e3779b9)) >>> 0;
    const key = lowbias32Graph(g, g.op("BitwiseXor", [seed, g.constInt64([constant], [])]) as V); // scalar
    const count = g.op("Size", [x]) as V;
    const index = g.reshapeTo(g.op("Range", [g.constInt64([0], []), count, g.constInt64([1], [])]) as V, g.shape(x)); // like x
    const bits = lowbias32Graph(g, g.op("BitwiseXor", [index, key]) as V);
    const uniform = g.div(g.cast(g.div(bits, g.constInt64([256], [])), "float32"), g.constScalar(2 ** 24)); // [0, 1)
    const keep = g.cast(g.op("GreaterOrEqual", [uniform, g.constScalar(p)]) as V, "float32");
    return g.mul(x, g.mul(keep, g.constScalar(1 / (1 - p))));
  };
}
