/**
 * `npm run bench -- train [--pairs 8] [--qlen 32] [--dlen 256] [--threads 2] [--repeat 3] [--layers 6] [--rounds 1]
 *   [--no-baseline] [--no-ceiling] [--profile PREFIX]`: one SPLADE training step at DistilBERT-base size (random weights) against the
 * PyTorch baseline of the same shape in the same run (bench/_torch-baseline.ts: ../shared/bench/torch_baseline.py
 * train with tcmalloc and a real OpenBLAS kernel; a glibc-malloc baseline is refused), and against the machine's fp32 MatMul ceiling
 * (bench/_ceiling.ts) measured in the same run. The last line says whether other processes took CPU time during
 * the run (then the ratios are not results).
 *
 * Same work on both sides: `pairs` queries of `qlen` tokens and 2·pairs documents of `dlen` tokens (one
 * positive and one hard negative each), SpladeLoss(MNRL scale 1 + FLOPS 1e-3 / 5e-5), backward, clipping to
 * norm 1, AdamW; no dropout (the baseline has none). Token ids uniform in [1000, 30522), all unmasked.
 * `--vocab-bias` sets the MLM head's output bias (default 0): with transformers' init every one of the 30,522
 * words is active in every vector, the dense worst case; −2.3 (as bench/encode.ts) leaves ~100 active words per
 * document, as in trained SPLADE models (the seed card's: 90–170 per document, 20–50 per query). PyTorch's
 * step is dense either way; ours skips inactive words in the vocabulary backward (autodiff/rules/max-matmul.ts).
 * The active dimensions are measured and printed. Our side runs with tcmalloc when it is installed, as
 * `splade train` does (bin/tcmalloc.js; SPLADE_TCMALLOC=0 measures glibc malloc).
 * Reported: the step graph's build and session creation, the first step alone, seconds per step (best of `repeat` after it), this process's peak RSS, the
 * ratio torch / ours, and against the ceiling's GFLOP/s: the effective GFLOP/s (3 × the forward pass's
 * matrix-product FLOPs — forward, input and weight gradients, the count PyTorch's dense backward does — over
 * our step time; above 100 % when we skip work), and the efficiency: the matrix products our step performs
 * (no weight product through the vocabulary, one-hot products over the active words and a window of the tokens only) over its time. With `--rounds R` our steps and the baseline take turns R times, each round's ratio
 * printed, then the best of each side. `--profile PREFIX` runs the step graph with onnxruntime's profiler
 * (trace in PREFIX_<date>.json; it slows a step by a few percent) and prints where the last step's time went:
 * matrix products against the rest, by op type and by node group (bench/_profile.ts).
 */
import { spladeGraph } from "../src/encoder/splade-graph.js";
import { DEFAULT_WINDOW_CHUNK_ELEMENTS } from "../src/graph/autodiff/rules/max-matmul.js";
import { serializeModel } from "../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../src/graph/session.js";
import { MS_DOMAIN } from "../src/model/layers.js";
import { normalizeConfig, type TransformerConfig } from "../src/model/config.js";
import { adamwScalars } from "../src/train/optimizer/adamw.js";
import { StepRunner, type TokenizedColumn } from "../src/train/step-runner.js";
import { Rng } from "../src/util/rng.js";
import { rerunWithTcmalloc } from "../bin/tcmalloc.js";
import { readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { matmulCeiling, spladeForwardFlops } from "./_ceiling.js";
import { describeInterference, watchInterference } from "./_machine.js";
import { summarizeProfile } from "./_profile.js";
import { runTorchBaseline, TORCH_BASELINE } from "./_torch-baseline.js";

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function column(rng: Rng, rows: number, tokens: number): TokenizedColumn {
  const ids = BigInt64Array.from({ length: rows * tokens }, () => BigInt(1000 + rng.int(30522 - 1000)));
  return { inputIds: ids, attentionMask: new BigInt64Array(rows * tokens).fill(1n), batchSize: rows, seqLen: tokens };
}

/** Active (non-zero) dimensions of a column's SPLADE vectors: per vector on average, and in any of them. */
async function activeDims(config: TransformerConfig, params: Map<string, Float32Array>, col: TokenizedColumn, threads: number): Promise<{ mean: number; union: number }> {
  const g = spladeGraph(config, { get: (key) => params.get(key)! }, { pooling: { pooling: "max", activation: "relu" } });
  const session = await GraphSession.create(serializeModel(g.ir, { domains: { [MS_DOMAIN]: 1 } }), { threads });
  const dims = [col.batchSize, col.seqLen];
  const out = await session.run({ input_ids: new ort.Tensor("int64", col.inputIds, dims), attention_mask: new ort.Tensor("int64", col.attentionMask, dims) });
  await session.release();
  const v = out.splade.data as Float32Array;
  const any = new Set<number>();
  v.forEach((x, i) => x > 0 && any.add(i % config.vocabSize));
  return { mean: v.reduce((n, x) => n + (x > 0 ? 1 : 0), 0) / col.batchSize, union: any.size };
}

export async function main(args: string[]): Promise<void> {
  // Our side runs as `splade train` does: with tcmalloc when installed (bin/tcmalloc.js; SPLADE_TCMALLOC=0 for glibc).
  if (await rerunWithTcmalloc("train")) return;
  const interference = watchInterference();
  const allocator = (process.env.LD_PRELOAD ?? "").includes("tcmalloc") ? "tcmalloc" : "glibc";
  const a = { pairs: flag(args, "pairs", 8), qlen: flag(args, "qlen", 32), dlen: flag(args, "dlen", 256), threads: flag(args, "threads", 2), repeat: flag(args, "repeat", 3), layers: flag(args, "layers", 6), rounds: flag(args, "rounds", 1), vocabBias: flag(args, "vocab-bias", 0) };
  const profileAt = args.indexOf("--profile");
  const profile = profileAt >= 0 ? resolve(args[profileAt + 1]) : undefined;
  const config = normalizeConfig({ model_type: "distilbert", n_layers: a.layers });
  const size = { layers: config.layers, hidden: config.hidden, ffn: config.intermediate, vocab: config.vocabSize };
  const queries = spladeForwardFlops(size, a.pairs, a.qlen);
  const documents = spladeForwardFlops(size, 2 * a.pairs, a.dlen);
  const stepGflop = (3 * (queries.total + documents.total)) / 1e9;
  const rng = new Rng(0);
  const optimizer = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 };
  const started = performance.now();
  const runner = StepRunner.create(
    {
      config,
      pooling: { pooling: "max", activation: "relu" },
      loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: 5e-5, useDocumentRegularizerOnly: false },
      optimizer,
      columns: 3,
      dropout: false,
    },
    (key, shape) => {
      const n = shape.reduce((x, y) => x * y, 1);
      if (/(LayerNorm|layer_norm)\.weight$/.test(key)) return new Float32Array(n).fill(1);
      if (key === "vocab_projector.bias") return new Float32Array(n).fill(a.vocabBias);
      return Float32Array.from({ length: n }, () => (key.endsWith("bias") ? 0 : 0.02 * rng.normal()));
    },
    { threads: a.threads, profileFilePrefix: profile },
  );
  const batch = { columns: [column(rng, a.pairs, a.qlen), column(rng, a.pairs, a.dlen), column(rng, a.pairs, a.dlen)] };
  let step = 0;
  const runSteps = async (n: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < n; i++, step++) {
      const t0 = performance.now();
      await runner.update(batch, { ...adamwScalars(optimizer, step + 1, 2e-5), lambdaDocument: 1e-3, lambdaQuery: 5e-5, gradScale: 1, dropoutSeed: 0 });
      times.push((performance.now() - t0) / 1000);
    }
    return times;
  };
  const active = { query: await activeDims(config, runner.state.params, batch.columns[0], a.threads), document: await activeDims(config, runner.state.params, batch.columns[1], a.threads) };
  console.log(`our allocator: ${allocator}; vocabulary bias ${a.vocabBias}: ${active.document.mean.toFixed(0)} active dimensions per document, ${active.query.mean.toFixed(0)} per query (of ${config.vocabSize})`);
  // The matrix products our step performs: forward, input and weight gradients of the body, the vocabulary
  // projection forward, and the one-hot products over the active words (autodiff/rules/max-matmul.ts). Those
  // span a window of each row's tokens per chunk of words sorted by arg-max token, T/n wide for n chunks plus
  // the spread between rows: counted as ⌈T/n⌉ + 2 tokens (the widths profiled at DistilBERT-base size, dense:
  // 12–13 of 256 tokens, 2–3 of 32).
  const windowChunks = Math.ceil((size.hidden * size.vocab) / DEFAULT_WINDOW_CHUNK_ELEMENTS);
  const oneHot = (rows: number, tokens: number, words: number) => 2 * rows * Math.min(tokens, Math.ceil(tokens / windowChunks) + 2) * words * size.hidden;
  const performedGflop = (3 * (queries.body + documents.body) + queries.vocab + documents.vocab + oneHot(a.pairs, a.qlen, active.query.union) + 2 * oneHot(a.pairs, a.dlen, active.document.union)) / 1e9;
  const t0 = performance.now();
  await runner.prepare();
  const sessionS = (performance.now() - t0) / 1000;
  const [first] = await runSteps(1);
  console.log(`graph build + session + first step: ${((performance.now() - started) / 1000).toFixed(1)} s (step session ${sessionS.toFixed(2)} s, first step alone ${first.toFixed(2)} s); ${stepGflop.toFixed(0)} GFLOP per step (3 × forward matrix products)`);
  const baselineArgs = ["--pairs", String(a.pairs), "--qlen", String(a.qlen), "--dlen", String(a.dlen), "--threads", String(a.threads), "--repeat", String(a.repeat), "--layers", String(a.layers)];
  let bestOurs = Infinity;
  let bestTorch = Infinity;
  for (let round = 1; round <= a.rounds; round++) {
    const times = await runSteps(a.repeat);
    const ours = Math.min(...times);
    bestOurs = Math.min(bestOurs, ours);
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ round, mode: "train", ...a, s_per_step: Number(ours.toFixed(3)), all: times.map((t) => Number(t.toFixed(3))), effective_gflops: Math.round(stepGflop / ours), peak_rss_mib: Math.round(rssMiB) }));
    if (args.includes("--no-baseline")) continue;
    const torch = runTorchBaseline("train", baselineArgs);
    if (typeof torch === "string") {
      console.log(`round ${round}: PyTorch baseline: ${torch}`);
      continue;
    }
    const torchS = Number(torch.json.s_per_step);
    bestTorch = Math.min(bestTorch, torchS);
    console.log(JSON.stringify({ round, baseline: TORCH_BASELINE, ...torch.json }));
    console.log(`round ${round}: speed-up vs PyTorch (${torch.allocator}, OpenBLAS ${torch.openblasCore}) ${(torchS / ours).toFixed(2)}× (torch ${torchS} s / ours ${ours.toFixed(3)} s per step)`);
  }
  await runner.release();
  if (profile) printProfile(profile);
  if (a.rounds > 1 && Number.isFinite(bestTorch)) {
    console.log(`best of ${a.rounds} rounds: torch ${bestTorch} s, ours ${bestOurs.toFixed(3)} s per step → ${(bestTorch / bestOurs).toFixed(2)}×`);
  }
  if (!args.includes("--no-ceiling")) {
    const ceiling = await matmulCeiling({ threads: a.threads });
    const effective = stepGflop / bestOurs;
    const performed = performedGflop / bestOurs;
    console.log(`ceiling: onnxruntime MatMul ${ceiling.shape.join(" × ")} (arena-resident output) ${ceiling.gflops.toFixed(0)} GFLOP/s; ` +
      `our step: ${effective.toFixed(0)} effective GFLOP/s (PyTorch's ${stepGflop.toFixed(0)} GFLOP) = ${((100 * effective) / ceiling.gflops).toFixed(0)} % of the ceiling; ` +
      `the ${performedGflop.toFixed(0)} GFLOP of matrix products it performs at ${performed.toFixed(0)} GFLOP/s = ${((100 * performed) / ceiling.gflops).toFixed(0)} % (efficiency)`);
  }
  console.log(describeInterference(interference()));
}

/** Where the last profiled step's time went (the newest trace written under `prefix`). */
function printProfile(prefix: string): void {
  const traces = readdirSync(dirname(prefix)).filter((f) => f.startsWith(`${basename(prefix)}_`) && f.endsWith(".json")).sort();
  if (traces.length === 0) return console.log(`profile: no trace ${prefix}_*.json was written`);
  const file = join(dirname(prefix), traces[traces.length - 1]);
  const p = summarizeProfile(file);
  const pct = (x: number) => `${((100 * x) / p.nodesS).toFixed(0)} %`;
  console.log(`profile ${file}, run ${p.runs} of ${p.runs}: ${p.runS.toFixed(2)} s in onnxruntime, nodes ${p.nodesS.toFixed(2)} s: matrix products ${p.matmulS.toFixed(2)} s (${pct(p.matmulS)}), the rest ${(p.nodesS - p.matmulS).toFixed(2)} s`);
  const rows = (list: Array<[string, number, number]>, n: number) => list.slice(0, n).map(([k, s, c]) => `  ${s.toFixed(3)} s ${pct(s).padStart(5)} ${String(c).padStart(5)}×  ${k}`).join("\n");
  console.log(`by op type:\n${rows(p.byOp, 15)}\nby node group (op, pass, output shape):\n${rows(p.byGroup, 25)}`);
}
