/**
 * Training an inference-free Router model (library API, tiny fixtures): the written model folder has the layout
 * sentence-transformers saves (compared file by file with test/fixtures/tiny-inference-free-splade and, for the
 * opensearch layout with a frozen query side, with tiny-opensearch-inference-free); learning_rate_mapping gives
 * the static weight its own AdamW learning rate; a Router run resumed from a checkpoint ends bit-identical; a
 * saved folder reloads with the weights that were in memory.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { readSafetensors } from "../../src/safetensors/index.js";
import { tokenizeRows } from "../../src/train/data/tokenize.js";
import { loadTrainingModel, trainingWeights } from "../../src/train/model-source.js";
import { ADAMW_DEFAULTS, adamwScalars } from "../../src/train/optimizer/adamw.js";
import { TRAINING_DEFAULTS, type TrainingOptions } from "../../src/train/options.js";
import { upstreamParameterNames } from "../../src/train/param-names.js";
import { routeColumns } from "../../src/train/routing.js";
import { StepRunner } from "../../src/train/step-runner.js";
import { train } from "../../src/train/trainer.js";
import { isSpladeError } from "../../src/util/errors.js";
import { FIXTURES } from "../parity/golden.js";
import { readTrain3, train3Rows } from "./fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

const ST_NATIVE = join(FIXTURES, "tiny-inference-free-splade");
const OPENSEARCH = join(FIXTURES, "tiny-opensearch-inference-free");
const STATIC = "query_0_SparseStaticEmbedding.weight";
const options: TrainingOptions = {
  ...TRAINING_DEFAULTS, batchSize: 4, maxSteps: 2, lr: 1e-3, warmupSteps: 1, saveSteps: 1, evalSteps: 1000, loggingSteps: 1, seed: 3, threads: 1,
  routerMapping: { query: "query" }, learningRateMapping: { "SparseStaticEmbedding\\.weight": 1e-2 }, useDocumentRegularizerOnly: true,
};

function rows() {
  return readTrain3().batches.flat().map((r) => ({ query: r.query, positive: r.positive, negatives: [r.negative] }));
}

/** Files under `dir` (relative paths), checkpoint-N folders left out. */
function files(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((name) => {
      const path = join(d, name);
      if (statSync(path).isDirectory()) return name.startsWith("checkpoint-") ? [] : walk(path);
      return [relative(dir, path)];
    });
  return walk(dir).sort();
}

/** Tensor names, dtypes, shapes and metadata of a safetensors file (not the order of the data). */
function header(path: string): unknown {
  const file = readSafetensors(path);
  return { metadata: file.metadata, tensors: file.names().sort().map((n) => ({ n, dtype: file.info(n).dtype, shape: file.info(n).shape })) };
}

function assertLayoutLike(written: string, fixture: string, options: { without?: string[]; extra?: string[] } = {}): void {
  const expected = files(fixture).filter((f) => !(options.without ?? []).includes(f));
  assert.deepEqual(files(written), [...expected, ...(options.extra ?? ["README.md"])].sort(), "the same files (plus the model card, or the trainer state)");
  for (const f of expected) {
    if (f.endsWith(".safetensors")) assert.deepEqual(header(join(written, f)), header(join(fixture, f)), f);
    else assert.ok(readFileSync(join(written, f)).equals(readFileSync(join(fixture, f))), `${f} is byte-identical to sentence-transformers' save`);
  }
}

test("a trained Router model is written in sentence-transformers' layout, file by file as the fixture", async () => {
  const root = tempDir("splade-router-");
  const model = await loadTrainingModel(ST_NATIVE);
  await train({ model, rows: rows(), outputDir: root, options });
  assertLayoutLike(root, ST_NATIVE);
  assertLayoutLike(join(root, "checkpoint-2"), ST_NATIVE, { extra: ["optimizer.safetensors", "trainer_state.json"] });
  const trained = readSafetensors(join(root, "query_0_SparseStaticEmbedding", "model.safetensors")).float32("weight");
  const changed = trained.reduce((n, w, i) => n + (w !== model.router!.static.weight[i] ? 1 : 0), 0);
  assert.ok(changed > 20 && changed < 200, `the query weights of the batches' query tokens moved (${changed})`);
});

test("opensearch layout with a frozen query side: the MLM trains, the static weight is kept, idf.json is not copied", async () => {
  const root = tempDir("splade-router-");
  const model = await loadTrainingModel(OPENSEARCH);
  await train({ model, rows: rows(), outputDir: root, options: { ...options, learningRateMapping: undefined } });
  assertLayoutLike(root, OPENSEARCH, { without: ["idf.json"] });
  const path = "query_0_SparseStaticEmbedding/model.safetensors";
  assert.deepEqual(readSafetensors(join(root, path)).float32("weight"), readSafetensors(join(OPENSEARCH, path)).float32("weight"), "frozen: unchanged");
  const before = readSafetensors(join(OPENSEARCH, "model.safetensors")).float32("vocab_transform.weight");
  assert.notDeepEqual(readSafetensors(join(root, "model.safetensors")).float32("vocab_transform.weight"), before, "the document MLM trained");
  // Frozen weights are no parameter: a learning-rate pattern for them matches nothing.
  await assert.rejects(train({ model, rows: rows(), outputDir: join(root, "x"), options }), (e) => isSpladeError(e, "INVALID_ARGUMENT") && /no parameter matches/.test((e as Error).message));
});

async function firstUpdate(o: { staticLr: number; nonNegative: boolean }) {
  const source = await loadTrainingModel(ST_NATIVE);
  const routing = routeColumns(source, ["query", "positive", "negative"], { query: "query" }, { nonNegativeStaticWeights: o.nonNegative });
  const runner = StepRunner.create(
    {
      config: source.config, pooling: source.pooling, columns: 3, dropout: false, exposeGradients: true,
      loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: null, useDocumentRegularizerOnly: true },
      optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 },
      columnRoutes: routing.routes, staticRoute: routing.staticRoute,
      learningRates: { mapping: { "SparseStaticEmbedding\\.weight": o.staticLr }, upstreamNames: (p) => upstreamParameterNames(source, p) },
    },
    trainingWeights(source),
    { threads: 1 },
  );
  try {
    const before = new Map([...runner.state.params].map(([k, v]) => [k, Float32Array.from(v)]));
    const batch = tokenizeRows(source.tokenizer, train3Rows(readTrain3(), 0), { maxLength: source.maxSeqLength, labels: false, columns: routing.tokenizers });
    const adam = (lr: number) => adamwScalars(ADAMW_DEFAULTS, 1, lr);
    const r = await runner.update(batch, { ...adam(1e-3), groups: [adam(o.staticLr)], lambdaDocument: 1e-3, lambdaQuery: 0, gradScale: 1, dropoutSeed: 1 });
    return { runner, before, gradients: r.gradients!, after: runner.state.params };
  } finally {
    await runner.release();
  }
}

test("learning_rate_mapping: the first AdamW update moves the static weight at its own learning rate", async () => {
  const { runner, before, gradients, after } = await firstUpdate({ staticLr: 1e-2, nonNegative: true });
  assert.deepEqual(runner.params.filter((p) => p.lrGroup === 1).map((p) => p.name), [STATIC]);
  for (const [name, lr] of [[STATIC, 1e-2], ["vocab_projector.bias", 1e-3], ["distilbert.transformer.layer.0.ffn.lin1.weight", 1e-3]] as const) {
    const g = gradients.get(name)!;
    let checked = 0;
    g.forEach((gi, i) => {
      if (Math.abs(gi) < 1e-6) return;
      // AdamW at t = 1: m̂ = g, v̂ = g², so Δ = −lr · g / (|g| + ε).
      const expected = before.get(name)![i] - (lr * gi) / (Math.abs(gi) + 1e-8);
      assert.ok(Math.abs(after.get(name)![i] - expected) <= 1e-6 + 1e-5 * Math.abs(expected), `${name}[${i}]: ${after.get(name)![i]} vs ${expected}`);
      checked++;
    });
    assert.ok(checked > 0, `${name} has non-zero gradients`);
  }
});

test("static weights are projected onto ≥ 0 after the update, unless negative weights are allowed (upstream)", async () => {
  // A step of 50 takes every weight with a positive gradient below 0 (the fixture's weights are < 20).
  const kept = await firstUpdate({ staticLr: 50, nonNegative: true });
  const free = await firstUpdate({ staticLr: 50, nonNegative: false });
  const g = kept.gradients.get(STATIC)!;
  const pushedDown = [...g.keys()].filter((i) => g[i] > 1e-6);
  assert.ok(pushedDown.length > 5);
  for (const i of pushedDown) {
    assert.equal(kept.after.get(STATIC)![i], 0, `weight ${i} clamped at 0`);
    assert.ok(free.after.get(STATIC)![i] < 0, `weight ${i} negative without the projection`);
  }
  assert.ok(kept.after.get(STATIC)!.every((w) => w >= 0));
});

test("a Router run resumed from checkpoint-1 ends bit-identical, and the saved folder reloads with the trained weights", async () => {
  const root = tempDir("splade-router-");
  const model = await loadTrainingModel(ST_NATIVE);
  const o = { ...options, dropout: true };
  await train({ model, rows: rows(), outputDir: join(root, "a"), options: o });
  const controller = new AbortController();
  await assert.rejects(train({ model, rows: rows(), outputDir: join(root, "b"), options: o, signal: controller.signal, onStep: (r) => r.step === 1 && controller.abort() }), (e) => isSpladeError(e, "CANCELLED"));
  await train({ model, rows: rows(), outputDir: join(root, "b"), options: o, resumeFrom: join(root, "b", "checkpoint-1") });
  for (const f of ["query_0_SparseStaticEmbedding/model.safetensors", "document_0_MLMTransformer/model.safetensors", "checkpoint-2/optimizer.safetensors"]) {
    assert.ok(readFileSync(join(root, "a", f)).equals(readFileSync(join(root, "b", f))), `${f} differs`);
  }
  const reloaded = await loadTrainingModel(join(root, "a"));
  assert.ok(reloaded.router, "the output is a Router model again");
  const fromDisk = trainingWeights(reloaded);
  const fromCheckpoint = trainingWeights(model, join(root, "a", "checkpoint-2"));
  for (const [name, shape] of [[STATIC, [30522]], ["vocab_transform.weight", [32, 32]]] as const) {
    assert.deepEqual(fromDisk(name, [...shape]), fromCheckpoint(name, [...shape]), name);
  }
});
