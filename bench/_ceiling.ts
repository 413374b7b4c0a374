/**
 * The machine's ceiling for the benchmarks' arithmetic, measured in the same run as the code it judges:
 * onnxruntime's matrix product of the vocabulary shape (M × K · K × N; M = 8192 = 32 × 256 tokens, K = 768,
 * N = 30522 by default), the largest product of a SPLADE encoder, with its output kept in the session's arena
 * by a ReduceMax over M after it (a product that is a graph output is allocated fresh every run and measures
 * page faults, not the GEMM: issue #14). float32: MatMul; int8: DynamicQuantizeMatMul with per-column int8
 * weights, as the int8 encoder runs its Linear layers. The weights are initializers, as in the encoder's and
 * trainer's graphs. GFLOP/s = 2·M·K·N / best time of `repeat` runs after a warm-up (the ReduceMax is inside
 * the time, ~3 % of it).
 *
 * Also the FLOP count of a SPLADE transformer's forward pass, the numerator of the benchmarks' "effective
 * GFLOP/s".
 */
import { GraphBuilder, type V } from "../src/graph/builder.js";
import { serializeModel } from "../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../src/graph/session.js";
import { Rng } from "../src/util/rng.js";

export interface Ceiling {
  kind: "fp32" | "int8";
  gflops: number;
  shape: [number, number, number];
  /** Each timed run, in seconds. */
  seconds: number[];
}

export interface CeilingOptions {
  threads: number;
  kind?: "fp32" | "int8";
  m?: number;
  k?: number;
  n?: number;
  repeat?: number;
}

export async function matmulCeiling(o: CeilingOptions): Promise<Ceiling> {
  const kind = o.kind ?? "fp32";
  const [m, k, n] = [o.m ?? 8192, o.k ?? 768, o.n ?? 30522];
  const rng = new Rng(7);
  const g = new GraphBuilder(`ceiling-${kind}`);
  const x = g.input("x", "float32", [m, k]);
  let product: V;
  if (kind === "fp32") {
    const w = new Float32Array(k * n);
    for (let i = 0; i < w.length; i++) w[i] = (rng.next() - 0.5) * 0.04;
    product = g.matmul(x, g.initializer("w", { dtype: "float32", dims: [k, n], data: w }));
  } else {
    const w = new Int8Array(k * n);
    for (let i = 0; i < w.length; i++) w[i] = rng.int(255) - 127;
    const scale = g.initializer("scale", { dtype: "float32", dims: [n], data: new Float32Array(n).fill(1e-3) });
    const zero = g.initializer("zero", { dtype: "int8", dims: [n], data: new Int8Array(n) });
    product = g.op("DynamicQuantizeMatMul", [x, g.initializer("w", { dtype: "int8", dims: [k, n], data: w }), scale, zero], {}, { domain: "com.microsoft" }) as V;
  }
  g.output(g.reduceMax(product, [0]), "max", "float32", [n]);
  const session = await GraphSession.create(serializeModel(g.ir, { domains: { "com.microsoft": 1 } }), { threads: o.threads });
  const input = new Float32Array(m * k);
  for (let i = 0; i < input.length; i++) input[i] = rng.next() * 2 - 1;
  const feeds = { x: new ort.Tensor("float32", input, [m, k]) };
  await session.run(feeds);
  const seconds: number[] = [];
  for (let r = 0; r < (o.repeat ?? 3); r++) {
    const t0 = performance.now();
    await session.run(feeds);
    seconds.push((performance.now() - t0) / 1000);
  }
  await session.release();
  return { kind, gflops: (2 * m * k * n) / Math.min(...seconds) / 1e9, shape: [m, k, n], seconds };
}

export interface TransformerSize {
  layers: number;
  hidden: number;
  ffn: number;
  vocab: number;
}

/**
 * Multiply-add FLOPs (2 per MAC) of one forward pass of a BERT-style masked LM with SPLADE pooling over
 * `rows` sequences of `tokens`: per layer Q, K, V, O and the two FFN products, attention scores and mixing,
 * and the MLM head's transform (`body`); the vocabulary projection (`vocab`). Elementwise work is not counted.
 */
export function spladeForwardFlops(s: TransformerSize, rows: number, tokens: number): { body: number; vocab: number; total: number } {
  const n = rows * tokens;
  const perLayer = n * (4 * s.hidden * s.hidden + 2 * s.hidden * s.ffn) + 2 * rows * tokens * tokens * s.hidden;
  const body = 2 * (s.layers * perLayer + n * s.hidden * s.hidden);
  const vocab = 2 * n * s.hidden * s.vocab;
  return { body, vocab, total: body + vocab };
}
