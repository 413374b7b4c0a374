/**
 * The machine's fp32 ceiling, measured in the same run as a benchmark: onnxruntime's MatMul of the vocabulary
 * shape (M × 768 · 768 × 30522, M = 8192 = 32 × 256 tokens) followed by a ReduceMax over M, so that the product
 * stays in onnxruntime's arena (a product that is a graph output is allocated fresh every run and measures page
 * faults, not the GEMM: issue #14). GFLOP/s = 2·M·K·N / best time of `repeat` runs after a warm-up (the ReduceMax
 * is inside the time, ~3 % of it). Also the FLOP count of a SPLADE transformer's forward pass, the numerator of
 * the benchmarks' "effective GFLOP/s".
 */
import { GraphBuilder } from "../src/graph/builder.js";
import { serializeModel } from "../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../src/graph/session.js";
import { Rng } from "../src/util/rng.js";

export interface Ceiling {
  gflops: number;
  shape: [number, number, number];
}

export async function matmulCeiling(o: { threads: number; m?: number; k?: number; n?: number; repeat?: number }): Promise<Ceiling> {
  const [m, k, n] = [o.m ?? 8192, o.k ?? 768, o.n ?? 30522];
  const g = new GraphBuilder("ceiling");
  const a = g.input("a", "float32", [m, k]);
  const w = g.input("w", "float32", [k, n]);
  g.output(g.reduceMax(g.matmul(a, w), [0]), "max", "float32", [n]); // [N]
  const session = await GraphSession.create(serializeModel(g.ir), { threads: o.threads });
  const rng = new Rng(1);
  const feeds = {
    a: new ort.Tensor("float32", Float32Array.from({ length: m * k }, () => rng.normal()), [m, k]),
    w: new ort.Tensor("float32", Float32Array.from({ length: k * n }, () => 0.02 * rng.normal()), [k, n]),
  };
  let best = Infinity;
  for (let i = 0; i <= (o.repeat ?? 3); i++) {
    const t0 = performance.now();
    await session.run(feeds);
    if (i > 0) best = Math.min(best, (performance.now() - t0) / 1000);
  }
  await session.release();
  return { gflops: (2 * m * k * n) / best / 1e9, shape: [m, k, n] };
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
