/**
 * `npm run bench -- encode [--threads 2] [--batch 32] [--seq 256] [--repeat 3] [--rounds 1]
 *   [--corpus-docs 1000|all|0] [--queries 300] [--no-baseline] [--no-int8] [--no-ceiling] [--no-e2e]
 *   [--kernels fused|plain] [--load-only] [--e2e-only] [--e2e-rounds 1] [--pipeline]`
 *
 * SPLADE encoding speed at DistilBERT-base size (random weights, as the baseline's) in one run against:
 *
 * 1. PyTorch at its best (../shared/bench/torch_baseline.py with tcmalloc and OpenBLAS's best kernel for the
 *    CPU, see _torch-baseline.ts; a glibc-malloc baseline is refused);
 * 2. the machine's ceiling (_ceiling.ts): onnxruntime's vocabulary-shaped product, float32 MatMul and int8
 *    DynamicQuantizeMatMul. Efficiency = the encoder's effective GFLOP/s (the forward pass's arithmetic
 *    over its time, so skipped work counts as done) over the ceiling of its precision.
 *
 * Measured: `batch` texts of exactly `seq` tokens (random whole-word vocabulary entries, every token real,
 * as the baseline's) through SparseEncoder.encodeDocument, best of `repeat` after a warm-up, float32 and int8.
 * `--rounds R` alternates PyTorch, float32 and int8 R times (best of each side). Then on BEIR SciFact (title +
 * text of the first `corpus-docs` documents): the library's docs/s on texts in memory, and int8 fidelity against float32 (mean cosine; top-10 overlap of the test queries over those documents).
 * Each variant runs in its own process, so load time and peak RSS are that of one encoder. The last line
 * says whether other processes took CPU time during the run (then the ratios are not results).
 * `--load-only`: the first load only, per variant and round, into a fresh graph cache (checkpoint hashed, graph
 * built, session created: time to the first vector; then how long the cache entry took to be written in the
 * background), then a second load from that cache.
 * End to end (unless --no-e2e; alone with --e2e-only): `splade encode` (bin/splade.js, the compiled package,
 * rebuilt first) on the same documents against the model alone, `--e2e-rounds` times in alternation (_e2e.ts);
 * with `--pipeline`, split into encodeFile against encodeDocument in one process and a run's fixed cost.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SparseEncoder } from "../src/encoder/index.js";
import { readSafetensors, writeSafetensors } from "../src/safetensors/index.js";
import { initModelFolder } from "../src/train/init-model.js";
import { Rng } from "../src/util/rng.js";
import { matmulCeiling, spladeForwardFlops, type Ceiling } from "./_ceiling.js";
import { interleaved, modelOnly, pipeline, pipelineSplit } from "./_e2e.js";
import { fidelity, writeVectorsJsonl } from "./_fidelity.js";
import { describeInterference, watchInterference } from "./_machine.js";
import { SHARED } from "./_paths.js";
import { runTorchBaseline } from "./_torch-baseline.js";

const SCIFACT = join(SHARED, "data/scifact");
const OUT = "bench/out";
export const MODEL_DIR = `${OUT}/distilbert-base-random-splade`;
/** The optimized-graph cache of the library runs and of `splade encode` ($SPLADE_CACHE_DIR). */
const GRAPH_CACHE = `${OUT}/graphs`;
const SHAPE = { layers: 6, hidden: 768, intermediate: 3072, vocab: 30522 };
/** Shifts every vocabulary logit so that random-weight vectors are sparse (a few hundred active dims). */
const VOCAB_BIAS = -2.3;
type Variant = "fp32" | "int8";
/** The transformer body's Linear shapes (K × N): Q, K, V, O and the MLM head's transform; FFN in; FFN out. */
const BODY_SHAPES: Array<[number, number]> = [
  [SHAPE.hidden, SHAPE.hidden],
  [SHAPE.hidden, SHAPE.intermediate],
  [SHAPE.intermediate, SHAPE.hidden],
];

/**
 * The int8 encoder's speed limit if the vocabulary product cost nothing: the time of the body's Linear layers
 * alone (every layer's Q, K, V, O, FFN in and FFN out, and the MLM head's transform) at the int8 rate measured
 * for each shape in this run, with attention, normalization and everything else taken as free.
 */
function int8BodyBound(shapes: Ceiling[], batch: number, torch: number | undefined): string {
  const seconds = (c: Ceiling) => (2 * c.shape[0] * c.shape[1] * c.shape[2]) / (c.gflops * 1e9);
  const [square, ffnIn, ffnOut] = shapes;
  const body = SHAPE.layers * (4 * seconds(square) + seconds(ffnIn) + seconds(ffnOut)) + seconds(square);
  const docsPerS = batch / body;
  const rates = shapes.map((c) => `${c.shape[1]}×${c.shape[2]} ${c.gflops.toFixed(0)}`).join(", ");
  const ratio = torch ? `, ${(docsPerS / torch).toFixed(2)}× PyTorch fp32` : "";
  return `int8 bound with a free vocabulary product: the body's Linear layers alone at their measured int8 rates (${rates} GOP/s) take ${body.toFixed(2)} s per batch, so at most ${docsPerS.toFixed(2)} docs/s${ratio}`;
}

interface Flags {
  threads: number;
  batch: number;
  seq: number;
  repeat: number;
  rounds: number;
  corpusDocs: number;
  queries: number;
  baseline: boolean;
  int8: boolean;
  ceiling: boolean;
  e2e: boolean;
  kernels: "fused" | "plain";
  loadOnly: boolean;
  /** End-to-end runs per variant, each between two model-only runs (_e2e.ts). */
  e2eRounds: number;
  /** The graph cache folder of the library runs (--graph-cache, set by --load-only). */
  graphCache: string;
}

function parseFlags(args: string[]): Flags {
  const value = (name: string, fallback?: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const docs = value("corpus-docs", "1000")!;
  return {
    threads: Number(value("threads", "2")),
    batch: Number(value("batch", "32")),
    seq: Number(value("seq", "256")),
    repeat: Number(value("repeat", "3")),
    rounds: Number(value("rounds", "1")),
    corpusDocs: docs === "all" ? Infinity : Number(docs),
    queries: Number(value("queries", "300")),
    baseline: !args.includes("--no-baseline"),
    int8: !args.includes("--no-int8"),
    ceiling: !args.includes("--no-ceiling"),
    e2e: !args.includes("--no-e2e"),
    kernels: value("kernels", "fused") as Flags["kernels"],
    loadOnly: args.includes("--load-only"),
    e2eRounds: Number(value("e2e-rounds", "1")),
    graphCache: value("graph-cache", GRAPH_CACHE)!,
  };
}

export function prepareModel(): void {
  if (existsSync(join(MODEL_DIR, "modules.json"))) return;
  initModelFolder(MODEL_DIR, {
    architecture: "distilbert",
    layers: SHAPE.layers,
    dim: SHAPE.hidden,
    heads: 12,
    maxPositions: 512,
    vocab: join(SHARED, "vocab/bert-base-uncased-vocab.txt"),
    tokenizerJson: join(SHARED, "vocab/bert-base-uncased-tokenizer.json"),
    seed: 0,
  });
  const path = join(MODEL_DIR, "model.safetensors");
  const file = readSafetensors(path);
  const tensors = file.tensors.map((t) => {
    const data = file.float32(t.name);
    if (t.name === "vocab_projector.bias") data.fill(VOCAB_BIAS);
    return { name: t.name, dtype: "F32" as const, shape: t.shape, data };
  });
  writeSafetensors(path, tensors, { format: "pt" });
  // The seed model's sentence-transformers files: MLMTransformer(max_seq_length 256) + SpladePooling(max, relu).
  const fixture = "test/fixtures/tiny-distilbert-splade";
  for (const f of ["sentence_bert_config.json", "config_sentence_transformers.json", "1_SpladePooling"]) cpSync(join(fixture, f), join(MODEL_DIR, f), { recursive: true });
  cpSync(join(fixture, "modules.json"), join(MODEL_DIR, "modules.json"));
}

function readJsonl<T>(path: string, limit: number): T[] {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
  return lines.slice(0, Number.isFinite(limit) ? limit : lines.length).map((l) => JSON.parse(l) as T);
}

/** Texts of exactly `seq` tokens ([CLS] + seq-2 whole-word vocabulary entries + [SEP]). */
function syntheticTexts(encoder: SparseEncoder, f: Flags): string[] {
  const words = readFileSync(join(MODEL_DIR, "vocab.txt"), "utf8").split("\n").filter((w) => /^[a-z]{3,}$/.test(w));
  const rng = new Rng(1);
  const texts = Array.from({ length: f.batch }, () => Array.from({ length: f.seq - 2 }, () => words[rng.int(words.length)]).join(" "));
  const lengths = encoder.tokenIds(texts).map((ids) => ids.length);
  if (lengths.some((n) => n !== f.seq)) throw new Error(`synthetic texts tokenize to ${Math.min(...lengths)}–${Math.max(...lengths)} tokens, not ${f.seq}`);
  return texts;
}

interface ChildResult {
  variant: Variant;
  loadS: number;
  /** Whether the load found its optimized graph in the cache (else it built and cached it). */
  cacheHit: boolean;
  /** --load-only: seconds from the first vector until release() returned (the background cache write). */
  releaseS?: number;
  syntheticDocsPerS: number;
  syntheticBatchS: number[];
  scifact?: { docsPerS: number; docs: number; meanActiveDims: number };
  peakRssMb: number;
}

/** One variant, in a child process: loads the model, measures, writes its SciFact vectors for fidelity. */
async function child(variant: Variant, f: Flags, syntheticOnly: boolean): Promise<ChildResult> {
  const cached = () => (existsSync(f.graphCache) ? readdirSync(f.graphCache).filter((n) => n.endsWith(".ort")).length : 0);
  const entriesBefore = cached();
  let t0 = performance.now();
  const encoder = await SparseEncoder.fromPretrained(MODEL_DIR, { threads: f.threads, quantize: variant === "int8" ? "int8" : undefined, kernels: f.kernels, graphCache: f.graphCache });
  await encoder.encodeDocument(["the session opens on the first text"]); // load = until the first vector
  const loadS = (performance.now() - t0) / 1000;
  if (f.loadOnly) {
    t0 = performance.now();
    await encoder.release();
    const releaseS = (performance.now() - t0) / 1000;
    return { variant, loadS, releaseS, cacheHit: cached() === entriesBefore, syntheticDocsPerS: 0, syntheticBatchS: [], peakRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  const texts = syntheticTexts(encoder, f);
  await encoder.encodeDocument(texts, { batchSize: f.batch });
  const times: number[] = [];
  for (let r = 0; r < f.repeat; r++) {
    t0 = performance.now();
    await encoder.encodeDocument(texts, { batchSize: f.batch });
    times.push((performance.now() - t0) / 1000);
  }
  const result: ChildResult = { variant, loadS, cacheHit: cached() === entriesBefore, syntheticDocsPerS: f.batch / Math.min(...times), syntheticBatchS: times, peakRssMb: 0 };
  if (!syntheticOnly && f.corpusDocs > 0) {
    const docs = readJsonl<{ title: string; text: string }>(`${SCIFACT}/corpus.jsonl`, f.corpusDocs).map((d) => (d.title ? `${d.title} ${d.text}` : d.text));
    t0 = performance.now();
    const docVectors = await encoder.encodeDocument(docs, { batchSize: f.batch });
    const scifactS = (performance.now() - t0) / 1000;
    const queryIds = new Set(readFileSync(`${SCIFACT}/qrels/test.tsv`, "utf8").split("\n").slice(1).map((l) => l.split("\t")[0]));
    const queries = readJsonl<{ _id: string; text: string }>(`${SCIFACT}/queries.jsonl`, Infinity).filter((q) => queryIds.has(q._id)).slice(0, f.queries);
    writeFileSync(`${OUT}/${variant}-docs.jsonl`, writeVectorsJsonl(docVectors));
    writeFileSync(`${OUT}/${variant}-queries.jsonl`, writeVectorsJsonl(await encoder.encodeQuery(queries.map((q) => q.text), { batchSize: f.batch })));
    result.scifact = { docsPerS: docs.length / scifactS, docs: docs.length, meanActiveDims: encoder.sparsity(docVectors).activeDims };
  }
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  await encoder.release();
  return result;
}

/** `splade encode` against the model alone, in alternation (_e2e.ts), after bringing dist/ up to date. */
function endToEnd(f: Flags, args: string[], variants: Variant[]): void {
  if (spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" }).status !== 0) throw new Error("tsc failed");
  const docs = Number.isFinite(f.corpusDocs) ? f.corpusDocs : 5183;
  for (const variant of variants) {
    if (args.includes("--pipeline")) pipelineSplit(MODEL_DIR, variant === "int8", docs, f.e2eRounds, f, () => runChild("pipeline", args, ["--variant", variant]));
    else interleaved(MODEL_DIR, variant === "int8", docs, f.e2eRounds, f, () => runChild<{ seconds: number }>("model-only", args, ["--variant", variant]));
  }
}

/** --load-only: per round and variant, a first load into a fresh graph cache, then a load from it. */
function loadBench(f: Flags, args: string[], interference: () => Parameters<typeof describeInterference>[0]): void {
  console.log(`load bench: DistilBERT-base size, ${f.threads} threads, ${f.kernels} kernels; load = fromPretrained until the first vector`);
  for (let round = 1; round <= f.rounds; round++) {
    for (const variant of (f.int8 ? ["fp32", "int8"] : ["fp32"]) as Variant[]) {
      const dir = mkdtempSync(join(tmpdir(), "splade-bench-graphs-"));
      try {
        const [miss, hit] = [0, 1].map(() => runChild<ChildResult>(variant, args, ["--graph-cache", dir]));
        console.log(
          `round ${round}/${f.rounds} ${variant}: first load ${miss.loadS.toFixed(2)} s (cache ${miss.cacheHit ? "hit?!" : "miss"}; entry written ${miss.releaseS!.toFixed(2)} s after the first vector; peak RSS ${miss.peakRssMb.toFixed(0)} MB), ` +
            `from the cache ${hit.loadS.toFixed(2)} s (${hit.cacheHit ? "hit" : "miss?!"}; peak RSS ${hit.peakRssMb.toFixed(0)} MB)`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(describeInterference(interference()));
}

function runChild<T>(role: string, args: string[], extra: string[] = []): T {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "encode", "--child", role, ...extra, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${role} run failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

export async function main(args: string[]): Promise<void> {
  const f = parseFlags(args);
  const childAt = args.indexOf("--child");
  if (childAt >= 0) {
    const role = args[childAt + 1];
    if (role === "pipeline") {
      process.stdout.write(JSON.stringify(await pipeline(MODEL_DIR, args[args.indexOf("--variant") + 1] === "int8", Number.isFinite(f.corpusDocs) ? f.corpusDocs : 5183, f.e2eRounds, f)) + "\n");
      return;
    }
    if (role === "model-only") {
      process.stdout.write(JSON.stringify(await modelOnly(MODEL_DIR, args[args.indexOf("--variant") + 1] === "int8", Number.isFinite(f.corpusDocs) ? f.corpusDocs : 5183, f)) + "\n");
      return;
    }
    const result: unknown[] | ChildResult = role === "ceiling" ? [] : await child(role as Variant, f, args.includes("--synthetic-only"));
    // One ceiling after the other: each needs both cores.
    if (Array.isArray(result)) {
      for (const kind of f.int8 ? (["fp32", "int8"] as const) : (["fp32"] as const)) result.push(await matmulCeiling({ kind, threads: f.threads, m: f.batch * f.seq, k: SHAPE.hidden, n: SHAPE.vocab }));
      if (f.int8) for (const [k, n] of BODY_SHAPES) result.push(await matmulCeiling({ kind: "int8", threads: f.threads, m: f.batch * f.seq, k, n, repeat: 5 }));
    }
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  prepareModel();
  const interference = watchInterference();
  if (f.loadOnly) return loadBench(f, args, interference);
  if (args.includes("--e2e-only")) {
    endToEnd(f, args, f.int8 ? ["fp32", "int8"] : ["fp32"]);
    return void console.log(describeInterference(interference()));
  }
  const flops = spladeForwardFlops({ layers: SHAPE.layers, hidden: SHAPE.hidden, ffn: SHAPE.intermediate, vocab: SHAPE.vocab }, f.batch, f.seq).total;
  console.log(`encode bench: DistilBERT-base size, random weights, batch ${f.batch} × ${f.seq} tokens (${(flops / 1e12).toFixed(3)} TFLOP), ${f.threads} threads, ${f.kernels} kernels`);
  const ceilings = new Map<string, Ceiling>();
  let bodyShapes: Ceiling[] = [];
  if (f.ceiling) {
    const measured = runChild<Ceiling[]>("ceiling", args);
    for (const c of measured) if (c.shape[2] === SHAPE.vocab) ceilings.set(c.kind, c);
    console.log(`ceiling (onnxruntime, ${f.batch * f.seq} × ${SHAPE.hidden} × ${SHAPE.vocab} + ReduceMax): ` + [...ceilings.values()].map((c) => `${c.kind} ${c.gflops.toFixed(0)} GFLOP/s`).join(", "));
    bodyShapes = measured.filter((c) => c.shape[2] !== SHAPE.vocab);
  }
  const variants: Variant[] = f.int8 ? ["fp32", "int8"] : ["fp32"];
  const best = new Map<string, number>();
  const results = new Map<Variant, { docsPerS: number; last: ChildResult }>();
  for (let round = 1; round <= f.rounds; round++) {
    const baseline = f.baseline ? runTorchBaseline("encode", ["--threads", String(f.threads), "--batch", String(f.batch), "--seq", String(f.seq), "--repeat", String(f.repeat)]) : "skipped (--no-baseline)";
    if (typeof baseline === "string") console.log(`round ${round}/${f.rounds}: PyTorch: ${baseline}`);
    else {
      const docsPerS = baseline.json.docs_per_s as number;
      best.set("torch", Math.max(best.get("torch") ?? 0, docsPerS));
      console.log(`round ${round}/${f.rounds}: PyTorch ${baseline.json.torch} (${baseline.allocator}, OpenBLAS ${baseline.openblasCore}): ${docsPerS.toFixed(2)} docs/s (batches ${(baseline.json.s_per_batch as number[]).join(", ")} s)`);
    }
    for (const variant of variants) {
      const r = runChild<ChildResult>(variant, args, round === f.rounds ? [] : ["--synthetic-only"]);
      results.set(variant, { docsPerS: Math.max(results.get(variant)?.docsPerS ?? 0, r.syntheticDocsPerS), last: r });
      const scifact = r.scifact ? `; SciFact ${r.scifact.docs} docs (title + text) ${r.scifact.docsPerS.toFixed(2)} docs/s, ${r.scifact.meanActiveDims.toFixed(0)} active dims` : "";
      console.log(`  ${variant}: ${r.syntheticDocsPerS.toFixed(2)} docs/s (batches ${r.syntheticBatchS.map((s) => s.toFixed(2)).join(", ")} s)${scifact}; load ${r.loadS.toFixed(2)} s (graph cache ${r.cacheHit ? "hit" : "miss: built and stored"}); peak RSS ${r.peakRssMb.toFixed(0)} MB`);
    }
  }
  const torch = best.get("torch");
  if (bodyShapes.length === BODY_SHAPES.length) console.log(int8BodyBound(bodyShapes, f.batch, torch));
  for (const [variant, { docsPerS }] of results) {
    const gflops = (flops * docsPerS) / f.batch / 1e9;
    const ceiling = ceilings.get(variant);
    const parts = [`${docsPerS.toFixed(2)} docs/s`, `${gflops.toFixed(0)} effective GFLOP/s`];
    if (ceiling) parts.push(`${((100 * gflops) / ceiling.gflops).toFixed(0)} % of the ${variant} ceiling`);
    if (torch) parts.push(`${(docsPerS / torch).toFixed(2)}× PyTorch fp32 (${torch.toFixed(2)} docs/s)`);
    console.log(`${variant}${f.rounds > 1 ? ` (best of ${f.rounds} rounds)` : ""}: ${parts.join(", ")}`);
  }
  if (f.int8 && f.corpusDocs > 0) {
    const fid = fidelity(OUT);
    console.log(`int8 fidelity vs fp32: mean cosine queries ${fid.queryCosine.toFixed(4)}, documents ${fid.docCosine.toFixed(4)}; SciFact test queries' top-10 overlap ${(100 * fid.top10Overlap).toFixed(1)}%`);
  }
  if (f.e2e && f.corpusDocs > 0) endToEnd(f, args, variants);
  console.log(describeInterference(interference()));
}
