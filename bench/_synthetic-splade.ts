/**
 * A synthetic SPLADE-like document corpus derived from real SPLADE query vectors (bench/search.ts; files
 * starting with "_" are not benchmarks). Seeded and reproducible.
 *
 * Term popularity π over the vocabulary (V = 30,522): 80% of the mass ∝ qdf(t), the number of real query
 * vectors containing t (13.7k distinct terms in MS MARCO dev; the most common, "is", is in 15% of queries),
 * 20% a Zipf tail ∝ 1/(r + 10) over a seeded random permutation r of the whole vocabulary.
 * Non-zeros per document: round(exp(N(ln 120 − 0.045, 0.3²))) clamped to [8, 400] (mean ≈ 120).
 *
 * "independent": every term drawn from π without replacement, weight log-normal exp(N(−0.7, 0.6²)) capped
 * at 4 (median 0.5). No co-occurrence structure at all: the worst case for any pruning.
 * "mixture" (default): documents are made of *topics*, as real passages are. A topic is one real query vector
 * from the topic half of the queries (odd positions; the benchmark searches with the other half, so no query
 * is literally a topic). Each document takes a primary topic (keeps each of its terms with probability 0.8,
 * weight 1.2·(0.3 + w/w_max)·exp(N(0, 0.4²))) and a secondary topic (probability 0.45, scale 0.7), so that
 * terms co-occur as they do in real SPLADE vectors; the remaining non-zeros are background terms from π with
 * low weights (0.35 × the log-normal above), like SPLADE's weak expansion terms. Weights capped at 4.
 */
import { Rng } from "../src/util/rng.js";
import type { SparseVector } from "../src/sparse/vector.js";
import type { SpladeQuery } from "./_splade-queries.js";

export type GeneratorKind = "independent" | "mixture";

/** Walker's alias table for O(1) draws from a discrete distribution. */
class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;
  constructor(weights: Float64Array) {
    const n = weights.length;
    const total = weights.reduce((a, b) => a + b, 0);
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.prob[i] = 1;
  }
  draw(rng: Rng): number {
    const i = rng.int(this.prob.length);
    return rng.next() < this.prob[i] ? i : this.alias[i];
  }
}

/** Splits real queries into topics (odd positions) and benchmark queries (even positions). */
export function splitQueries(queries: readonly SpladeQuery[]): { topics: SpladeQuery[]; benchmark: SpladeQuery[] } {
  return { topics: queries.filter((_, i) => i % 2 === 1), benchmark: queries.filter((_, i) => i % 2 === 0) };
}

export class SyntheticSpladeCorpus {
  private readonly table: AliasTable;
  private readonly rng: Rng;
  private readonly weight: Float32Array; // [V] current document's weights (0 = absent)
  private readonly touched: Uint32Array; // terms of the current document
  private readonly topicMax: Float64Array;

  constructor(
    allQueries: readonly SpladeQuery[],
    private readonly topics: readonly SpladeQuery[],
    private readonly options: { seed: number; vocabSize: number; kind: GeneratorKind },
  ) {
    const V = options.vocabSize;
    const qdf = new Float64Array(V);
    for (const q of allQueries) for (const t of q.vector.indices) qdf[t]++;
    const qdfTotal = qdf.reduce((a, b) => a + b, 0);
    const rng = new Rng(options.seed);
    const rank = rng.shuffle(Array.from({ length: V }, (_, i) => i));
    const zipf = new Float64Array(V);
    rank.forEach((term, r) => (zipf[term] = 1 / (r + 10)));
    const zipfTotal = zipf.reduce((a, b) => a + b, 0);
    const weights = new Float64Array(V);
    for (let t = 0; t < V; t++) weights[t] = (0.8 * qdf[t]) / qdfTotal + (0.2 * zipf[t]) / zipfTotal;
    this.table = new AliasTable(weights);
    this.rng = new Rng(options.seed ^ 0x9e3779b9);
    this.weight = new Float32Array(V);
    this.touched = new Uint32Array(V);
    this.topicMax = Float64Array.from(topics, (q) => q.vector.values.reduce((a, b) => Math.max(a, b), 0));
  }

  /** The next document vector. */
  next(): SparseVector {
    const rng = this.rng;
    const weight = this.weight;
    let n = 0;
    const put = (t: number, w: number) => {
      const capped = Math.min(4, w);
      if (weight[t] === 0) this.touched[n++] = t;
      if (capped > weight[t]) weight[t] = capped;
    };
    const logNormal = () => Math.exp(-0.7 + 0.6 * rng.normal());
    if (this.options.kind === "mixture") {
      for (const [keep, scale] of [[0.8, 1.2], [0.45, 0.7]]) {
        const topic = rng.int(this.topics.length);
        const v = this.topics[topic].vector;
        const max = this.topicMax[topic];
        for (let i = 0; i < v.indices.length; i++) {
          if (rng.next() < keep) put(v.indices[i], scale * (0.3 + v.values[i] / max) * Math.exp(0.4 * rng.normal()));
        }
      }
    }
    const nnz = Math.min(400, Math.max(8, Math.round(Math.exp(Math.log(120) - 0.045 + 0.3 * rng.normal()))));
    const background = this.options.kind === "mixture" ? 0.35 : 1;
    while (n < nnz) {
      const t = this.table.draw(rng);
      if (weight[t] === 0) put(t, background * logNormal());
    }
    const indices = this.touched.slice(0, n).sort();
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = weight[indices[i]];
      weight[indices[i]] = 0;
    }
    return { indices, values };
  }
}
