/**
 * A checkpoint written by training loads with SparseEncoder.fromPretrained and encodes exactly like the
 * weights still in memory (the same inference graph built from the in-memory Float32Arrays), for a
 * sentence-transformers source (the fixture) and for a plain *ForMaskedLM source (init-model), whose
 * checkpoint gets the SparseEncoder files written; and for an inference-free Router, whose query route is a
 * weight lookup and whose document route is the MLM.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder } from "../../src/encoder/index.js";
import { ModelSession } from "../../src/encoder/model-session.js";
import { denseRowToSparse } from "../../src/encoder/vector-ops.js";
import { tokenizeRows } from "../../src/train/data/tokenize.js";
import { writeModelFolder } from "../../src/train/checkpoint/model-folder.js";
import { initModelFolder } from "../../src/train/init-model.js";
import { loadTrainingModel, trainingWeights, type TrainingModelSource } from "../../src/train/model-source.js";
import { routeColumns } from "../../src/train/routing.js";
import { StepRunner } from "../../src/train/step-runner.js";
import { FIXTURES } from "../parity/golden.js";
import { MODEL_DIR, readTrain3, train3Rows } from "./fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

const TEXTS = ["what causes tides", "The C-type lectin receptor rearranges the actin cytoskeleton.", "Gravity of the moon pulls the oceans."];

async function trainOneStep(source: TrainingModelSource): Promise<Map<string, Float32Array>> {
  const runner = StepRunner.create(
    {
      config: source.config,
      pooling: source.pooling,
      loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: 5e-5, useDocumentRegularizerOnly: false },
      optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 },
      columns: 3,
      dropout: true,
    },
    (key, shape) => source.weights.get(key, shape),
    { threads: 1 },
  );
  const batch = tokenizeRows(source.tokenizer, train3Rows(readTrain3(), 0), { maxLength: source.maxSeqLength, labels: false });
  await runner.update(batch, { lr: 1e-2, stepSize: 0.1, biasCorrection2Sqrt: Math.sqrt(1e-3), lambdaDocument: 1e-3, lambdaQuery: 5e-5, gradScale: 1, dropoutSeed: 1 });
  await runner.release();
  return runner.state.params;
}

async function assertEncodesLikeMemory(source: TrainingModelSource, params: Map<string, Float32Array>, dir: string): Promise<void> {
  const encoder = await SparseEncoder.fromPretrained(dir, { threads: 1 });
  const memory = await ModelSession.create(source.config, { get: (key, shape) => params.get(key) ?? source.weights.get(key, shape) }, { pooling: source.pooling, kernels: "fused", threads: 1 });
  try {
    for (const text of TEXTS) {
      const [fromDisk] = await encoder.encodeDocument([text], { batchSize: 1 });
      const e = source.tokenizer.encodeBatch([text], { maxLength: source.maxSeqLength });
      const dense = (await memory.run(e)).splade;
      const inMemory = denseRowToSparse(dense, 0, source.config.vocabSize);
      assert.ok(fromDisk.indices.length > 0, "some active dimensions");
      assert.deepEqual(Array.from(fromDisk.indices), Array.from(inMemory.indices), text);
      assert.deepEqual(Array.from(fromDisk.values), Array.from(inMemory.values), text);
    }
  } finally {
    await encoder.release();
    await memory.release();
  }
}

test("a trained SparseEncoder checkpoint loads with SparseEncoder.fromPretrained and encodes like memory", async () => {
  const root = tempDir("splade-ckpt-");
  const source = await loadTrainingModel(MODEL_DIR);
  const params = await trainOneStep(source);
  assert.notDeepEqual(params.get("vocab_transform.weight"), source.weights.get("vocab_transform.weight", [32, 32]), "the step changed the weights");
  writeModelFolder(join(root, "ckpt"), { source, params });
  await assertEncodesLikeMemory(source, params, join(root, "ckpt"));
});

test("a plain *ForMaskedLM start (init-model) gets the SparseEncoder files and loads too", async () => {
  const root = tempDir("splade-ckpt-");
  initModelFolder(join(root, "init"), { architecture: "distilbert", layers: 1, dim: 16, heads: 2, maxPositions: 128, vocab: join(MODEL_DIR, "vocab.txt"), tokenizerJson: join(MODEL_DIR, "tokenizer.json"), seed: 3 });
  const source = await loadTrainingModel(join(root, "init"));
  const params = await trainOneStep(source);
  writeModelFolder(join(root, "ckpt"), { source, params });
  for (const f of ["modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_SpladePooling/config.json"]) assert.ok(existsSync(join(root, "ckpt", f)), f);
  assert.deepEqual(JSON.parse(readFileSync(join(root, "ckpt", "1_SpladePooling", "config.json"), "utf8")), { pooling_strategy: "max", activation_function: "relu", word_embedding_dimension: 30522 });
  await assertEncodesLikeMemory(source, params, join(root, "ckpt"));
});

test("a trained inference-free Router checkpoint loads with SparseEncoder.fromPretrained: queries and documents as in memory", async () => {
  const root = tempDir("splade-ckpt-");
  const source = await loadTrainingModel(join(FIXTURES, "tiny-inference-free-splade"));
  const routing = routeColumns(source, ["query", "positive", "negative"], { query: "query" });
  const runner = StepRunner.create(
    {
      config: source.config, pooling: source.pooling, columns: 3, dropout: true, columnRoutes: routing.routes, staticRoute: routing.staticRoute,
      loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 1e-3, queryRegularizerWeight: null, useDocumentRegularizerOnly: true },
      optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 },
    },
    trainingWeights(source),
    { threads: 1 },
  );
  const batch = tokenizeRows(source.tokenizer, train3Rows(readTrain3(), 0), { maxLength: source.maxSeqLength, labels: false, columns: routing.tokenizers });
  await runner.update(batch, { lr: 1e-2, stepSize: 0.1, biasCorrection2Sqrt: Math.sqrt(1e-3), lambdaDocument: 1e-3, lambdaQuery: 0, gradScale: 1, dropoutSeed: 1 });
  await runner.release();
  const params = runner.state.params;
  const weight = params.get("query_0_SparseStaticEmbedding.weight")!;
  assert.notDeepEqual(weight, source.router!.static.weight, "the step changed the query weights");
  writeModelFolder(join(root, "ckpt"), { source, params });

  const encoder = await SparseEncoder.fromPretrained(join(root, "ckpt"), { threads: 1 });
  try {
    for (const text of [...TEXTS, readTrain3().batches[0][0].query]) {
      const [q] = await encoder.encodeQuery([text]);
      const ids = [...new Set(source.router!.static.tokenizer.tokenizeToIds(text))].sort((a, b) => a - b).filter((id) => weight[id] !== 0);
      assert.deepEqual(Array.from(q.indices), ids, text);
      assert.deepEqual(Array.from(q.values), ids.map((id) => weight[id]), text);
    }
  } finally {
    await encoder.release();
  }
  await assertEncodesLikeMemory(source, params, join(root, "ckpt"));
});
