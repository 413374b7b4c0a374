/**
 * The machine's ceiling for the encoder's arithmetic, measured in the same run as the encoder: onnxruntime's
 * matrix product of the vocabulary shape (tokens × hidden × vocabulary, the largest product of a SPLADE
 * encoder) with its output kept in the session's arena by a ReduceMax after it (a product that is a graph
 * output gets fresh memory every run and measures page faults instead). float32: MatMul; int8:
 * DynamicQuantizeMatMul with per-column int8 weights, as the int8 encoder runs its Linear layers.
 *
 * Also the arithmetic of a SPLADE forward pass, so that an encoder's docs/s converts to effective GFLOP/s
 * (multiply-adds count two; the ceiling is measured on the same count).
 */
import { GraphBuilder, type V } from "../src/graph/builder.js";
import { serializeModel } from "../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../src/graph/session.js";
import { Rng } from "../src/util/rng.js";

export interface ModelShape {
  layers: number;
  hidden: number;
  intermediate: number;
  vocab: number;
}

/** FLOPs of one forward pass over `batch` sequences of `seq` tokens (Linear layers, attention, MLM head). */
export function forwardFlops(m: ModelShape, batch: number, seq: number): number {
  const perLayer = 2 * (4 * m.hidden * m.hidden + 2 * m.hidden * m.intermediate) + 4 * seq * m.hidden;
  const head = 2 * m.hidden * m.hidden + 2 * m.hidden * m.vocab;
  return batch * seq * (m.layers * perLayer + head);
}

export interface Ceiling {
  kind: "fp32" | "int8";
  gflops: number;
  seconds: number[];
}

/** Best of `repeat` runs (after a warm-up) of the [tokens, hidden] × [hidden, vocab] product and its max. */
export async function measureCeiling(kind: "fp32" | "int8", threads: number, tokens: number, hidden: number, vocab: number, repeat = 3): Promise<Ceiling> {
  const rng = new Rng(7);
  const g = new GraphBuilder(`ceiling-${kind}`);
  const x = g.input("x", "float32", [tokens, hidden]);
  let product: V;
  if (kind === "fp32") {
    const w = new Float32Array(hidden * vocab);
    for (let i = 0; i < w.length; i++) w[i] = (rng.next() - 0.5) * 0.04;
    product = g.matmul(x, g.initializer("w", { dtype: "float32", dims: [hidden, vocab], data: w }));
  } else {
    const w = new Int8Array(hidden * vocab);
    for (let i = 0; i < w.length; i++) w[i] = rng.int(255) - 127;
    const scale = g.initializer("scale", { dtype: "float32", dims: [vocab], data: new Float32Array(vocab).fill(1e-3) });
    const zero = g.initializer("zero", { dtype: "int8", dims: [vocab], data: new Int8Array(vocab) });
    product = g.op("DynamicQuantizeMatMul", [x, g.initializer("w", { dtype: "int8", dims: [hidden, vocab], data: w }), scale, zero], {}, { domain: "com.microsoft" }) as V;
  }
  g.output(g.reduceMax(product, [0]), "max", "float32", [vocab]);
  const session = await GraphSession.create(serializeModel(g.ir, { domains: { "com.microsoft": 1 } }), { threads });
  const input = new Float32Array(tokens * hidden);
  for (let i = 0; i < input.length; i++) input[i] = rng.next() * 2 - 1;
  const feeds = { x: new ort.Tensor("float32", input, [tokens, hidden]) };
  await session.run(feeds);
  const seconds: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    seconds.push((performance.now() - t0) / 1000);
  }
  await session.release();
  return { kind, gflops: (2 * tokens * hidden * vocab) / Math.min(...seconds) / 1e9, seconds };
}
