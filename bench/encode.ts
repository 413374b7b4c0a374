/**
 * `npm run bench -- encode [--threads 2] [--batch 32] [--seq 256] [--repeat 3] [--rounds 1]
 *   [--corpus-docs 1000|all] [--queries 300] [--no-baseline] [--no-int8] [--kernels fused|plain]`
 *
 * SPLADE encoding speed at DistilBERT-base size (random weights, as the baseline) against PyTorch in the same
 * run (/work/shared/bench/torch_baseline.py encode, via /usr/bin/python3), then on real text:
 *
 * 1. synthetic: `batch` texts of exactly `seq` tokens (random whole-word vocabulary entries, so every token
 *    is real and unpadded, as the baseline's), through SparseEncoder.encodeDocument; best of `repeat` after a
 *    warm-up; docs/s and the ratio to PyTorch, for fp32 and int8. With `--rounds R` (for a machine shared
 *    with other work) PyTorch, fp32 and int8 take turns R times; each round's ratios and the best of each
 *    side are reported;
 * 2. SciFact (/work/shared/data/scifact; skipped with --corpus-docs 0): docs/s on title + text of the first
 *    `corpus-docs` documents, and int8 fidelity against fp32: mean cosine of the vectors (queries and
 *    documents) and the overlap of each test query's top-10 documents (dot product over those documents).
 *
 * Each variant runs in its own child process, so the reported peak RSS is that of one encoding process.
 * The model is initialised once into bench/out/ (transformers' init, seeded) with a negative vocabulary bias
 * so that vectors have a few hundred active dimensions, as trained SPLADE models do.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder } from "../src/encoder/index.js";
import { readSafetensors, writeSafetensors } from "../src/safetensors/index.js";
import { dot } from "../src/sparse/ops.js";
import type { SparseVector } from "../src/sparse/vector.js";
import { initModelFolder } from "../src/train/init-model.js";
import { Rng } from "../src/util/rng.js";

const SHARED = "/work/shared";
const BASELINE = `${SHARED}/bench/torch_baseline.py`;
const SCIFACT = `${SHARED}/data/scifact`;
const OUT = "bench/out";
export const MODEL_DIR = `${OUT}/distilbert-base-random-splade`;
/** Shifts every vocabulary logit so that random-weight vectors are sparse (a few hundred active dims). */
const VOCAB_BIAS = -2.3;

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
  kernels: "fused" | "plain";
}

function parseFlags(args: string[]): Flags {
  const value = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const docs = value("corpus-docs", "1000");
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
    kernels: value("kernels", "fused") as Flags["kernels"],
  };
}

export function prepareModel(): void {
  if (existsSync(join(MODEL_DIR, "modules.json"))) return;
  initModelFolder(MODEL_DIR, {
    architecture: "distilbert",
    layers: 6,
    dim: 768,
    heads: 12,
    maxPositions: 512,
    vocab: `${SHARED}/vocab/bert-base-uncased-vocab.txt`,
    tokenizerJson: `${SHARED}/vocab/bert-base-uncased-tokenizer.json`,
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

function torchBaseline(f: Flags): { docs_per_s: number; torch: string } | string {
  const check = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" });
  if (check.status !== 0) return "PyTorch is not installed: apt-get update && apt-get install -y python3-torch python3-numpy (then rerun)";
  const r = spawnSync("/usr/bin/python3", [BASELINE, "encode", "--batch", String(f.batch), "--seq", String(f.seq), "--threads", String(f.threads), "--repeat", String(f.repeat)], { encoding: "utf8" });
  if (r.status !== 0) return `baseline failed (${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`;
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { docs_per_s: number; torch: string };
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
  variant: string;
  loadS: number;
  syntheticDocsPerS: number;
  syntheticBatchS: number[];
  scifact?: { docsPerS: number; docs: number; meanActiveDims: number };
  peakRssMb: number;
}

/** One variant, in a child process: loads the model, measures, writes its SciFact vectors for fidelity. */
async function child(variant: "fp32" | "int8", f: Flags, syntheticOnly: boolean): Promise<void> {
  let t0 = performance.now();
  const encoder = await SparseEncoder.fromPretrained(MODEL_DIR, { threads: f.threads, quantize: variant === "int8" ? "int8" : undefined, kernels: f.kernels });
  const loadS = (performance.now() - t0) / 1000;
  const texts = syntheticTexts(encoder, f);
  await encoder.encodeDocument(texts, { batchSize: f.batch });
  const times: number[] = [];
  for (let r = 0; r < f.repeat; r++) {
    t0 = performance.now();
    await encoder.encodeDocument(texts, { batchSize: f.batch });
    times.push((performance.now() - t0) / 1000);
  }
  const result: ChildResult = {
    variant,
    loadS,
    syntheticDocsPerS: f.batch / Math.min(...times),
    syntheticBatchS: times,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  if (syntheticOnly || f.corpusDocs === 0) {
    await encoder.release();
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  const docs = readJsonl<{ title: string; text: string }>(`${SCIFACT}/corpus.jsonl`, f.corpusDocs).map((d) => (d.title ? `${d.title} ${d.text}` : d.text));
  t0 = performance.now();
  const docVectors = await encoder.encodeDocument(docs, { batchSize: f.batch });
  const scifactS = (performance.now() - t0) / 1000;
  const queryIds = new Set(readFileSync(`${SCIFACT}/qrels/test.tsv`, "utf8").split("\n").slice(1).map((l) => l.split("\t")[0]));
  const queries = readJsonl<{ _id: string; text: string }>(`${SCIFACT}/queries.jsonl`, Infinity).filter((q) => queryIds.has(q._id)).slice(0, f.queries);
  const queryVectors = await encoder.encodeQuery(queries.map((q) => q.text), { batchSize: f.batch });
  const serialize = (vs: SparseVector[]) => vs.map((v) => JSON.stringify({ indices: Array.from(v.indices), values: Array.from(v.values) })).join("\n");
  writeFileSync(`${OUT}/${variant}-docs.jsonl`, serialize(docVectors));
  writeFileSync(`${OUT}/${variant}-queries.jsonl`, serialize(queryVectors));
  result.scifact = { docsPerS: docs.length / scifactS, docs: docs.length, meanActiveDims: encoder.sparsity(docVectors).activeDims };
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  await encoder.release();
  process.stdout.write(JSON.stringify(result) + "\n");
}

function runChild(variant: string, args: string[], syntheticOnly: boolean): ChildResult {
  const childArgs = ["--import", "tsx", "bench/run.ts", "encode", "--child", variant, ...(syntheticOnly ? ["--synthetic-only"] : []), ...args];
  const r = spawnSync(process.execPath, childArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${variant} run failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildResult;
}

function readVectors(path: string): SparseVector[] {
  return readJsonl<{ indices: number[]; values: number[] }>(path, Infinity).map((v) => ({ indices: Uint32Array.from(v.indices), values: Float32Array.from(v.values) }));
}

function meanCosine(a: SparseVector[], b: SparseVector[]): number {
  const cos = a.map((v, i) => dot(v, b[i]) / Math.sqrt(dot(v, v) * dot(b[i], b[i]) || 1));
  return cos.reduce((x, y) => x + y, 0) / cos.length;
}

function topK(query: SparseVector, docs: SparseVector[], k: number): number[] {
  return docs.map((d, i) => [dot(query, d), i]).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, k).map(([, i]) => i);
}

function fidelity(): { queryCosine: number; docCosine: number; top10Overlap: number } {
  const [qa, qb, da, db] = ["fp32-queries", "int8-queries", "fp32-docs", "int8-docs"].map((n) => readVectors(`${OUT}/${n}.jsonl`));
  const overlaps = qa.map((q, i) => {
    const a = new Set(topK(q, da, 10));
    return topK(qb[i], db, 10).filter((d) => a.has(d)).length / 10;
  });
  return { queryCosine: meanCosine(qa, qb), docCosine: meanCosine(da, db), top10Overlap: overlaps.reduce((x, y) => x + y, 0) / overlaps.length };
}

function describe(r: ChildResult, torchDocsPerS: number | undefined): string {
  const ratio = torchDocsPerS ? ` = ${(r.syntheticDocsPerS / torchDocsPerS).toFixed(2)}× PyTorch` : "";
  const batches = r.syntheticBatchS.map((s) => s.toFixed(2)).join(", ");
  const scifact = r.scifact
    ? `; SciFact ${r.scifact.docs} docs (title + text) ${r.scifact.docsPerS.toFixed(2)} docs/s, ${r.scifact.meanActiveDims.toFixed(0)} active dims`
    : "";
  return `${r.variant}: ${r.syntheticDocsPerS.toFixed(2)} docs/s${ratio} (batches ${batches} s)${scifact}; load ${r.loadS.toFixed(1)} s; peak RSS ${r.peakRssMb.toFixed(0)} MB`;
}

export async function main(args: string[]): Promise<void> {
  const f = parseFlags(args);
  const childAt = args.indexOf("--child");
  if (childAt >= 0) return child(args[childAt + 1] as "fp32" | "int8", f, args.includes("--synthetic-only"));
  prepareModel();
  console.log(`encode bench: DistilBERT-base size, random weights, batch ${f.batch} × ${f.seq} tokens, ${f.threads} threads, ${f.kernels} kernels`);
  const variants = f.int8 ? ["fp32", "int8"] : ["fp32"];
  const best = new Map<string, number>();
  const keepBest = (name: string, docsPerS: number) => best.set(name, Math.max(best.get(name) ?? 0, docsPerS));
  for (let round = 1; round <= f.rounds; round++) {
    const baseline = f.baseline ? torchBaseline(f) : "skipped (--no-baseline)";
    const torchDocsPerS = typeof baseline === "string" ? undefined : baseline.docs_per_s;
    if (torchDocsPerS !== undefined) keepBest("torch", torchDocsPerS);
    const last = round === f.rounds;
    console.log(`round ${round}/${f.rounds}: ` + (typeof baseline === "string" ? `PyTorch: ${baseline}` : `PyTorch ${baseline.torch}: ${baseline.docs_per_s.toFixed(2)} docs/s`));
    for (const variant of variants) {
      const r = runChild(variant, args, !last);
      keepBest(variant, r.syntheticDocsPerS);
      console.log(`  ${describe(r, torchDocsPerS)}`);
    }
  }
  if (f.rounds > 1) {
    const torch = best.get("torch");
    const summary = variants.map((v) => `${v} ${best.get(v)!.toFixed(2)}` + (torch ? ` (${(best.get(v)! / torch).toFixed(2)}×)` : ""));
    console.log(`best of ${f.rounds} rounds, docs/s: ${torch ? `PyTorch ${torch.toFixed(2)}, ` : ""}${summary.join(", ")}`);
  }
  if (f.int8 && f.corpusDocs > 0) {
    const fid = fidelity();
    console.log(`int8 fidelity vs fp32: mean cosine queries ${fid.queryCosine.toFixed(4)}, documents ${fid.docCosine.toFixed(4)}; SciFact test queries' top-10 overlap ${(100 * fid.top10Overlap).toFixed(1)}%`);
  }
}
