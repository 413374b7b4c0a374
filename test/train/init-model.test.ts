/** src/train/init-model.ts: a seeded random *ForMaskedLM folder that loads and trains; HF initialisation rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors } from "../../src/safetensors/index.js";
import { initModelFolder } from "../../src/train/init-model.js";
import { loadTrainingModel } from "../../src/train/model-source.js";
import { spladeSync } from "../helpers/cli.js";
import { MODEL_DIR } from "./fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

function rms(x: Float32Array): number {
  return Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
}

test("init-model writes a loadable DistilBERT with N(0, 0.02) weights, unit LayerNorms, zero biases and padding row", async () => {
  const root = tempDir("splade-init-");
  const o = { architecture: "distilbert" as const, layers: 1, dim: 8, heads: 2, maxPositions: 64, vocab: join(MODEL_DIR, "vocab.txt"), seed: 5 };
  initModelFolder(join(root, "a"), o);
  initModelFolder(join(root, "b"), o);
  const model = await loadTrainingModel(join(root, "a"));
  assert.equal(model.config.vocabSize, 30522);
  assert.equal(model.isSparseEncoder, false);
  assert.equal(model.maxSeqLength, 64);
  const file = readSafetensors(join(root, "a", "model.safetensors"));
  const words = file.float32("distilbert.embeddings.word_embeddings.weight");
  assert.ok(words.slice(0, 8).every((x) => x === 0), "padding row is zero");
  const rest = words.slice(8);
  const std = Math.sqrt(rest.reduce((s, x) => s + x * x, 0) / rest.length);
  assert.ok(Math.abs(std - 0.02) < 0.001, `std ${std}`);
  assert.ok(file.float32("vocab_layer_norm.weight").every((x) => x === 1));
  assert.ok(file.float32("vocab_projector.bias").every((x) => x === 0));
  assert.ok(!file.has("vocab_projector.weight"), "the decoder is tied, not stored");
  assert.deepEqual(readSafetensors(join(root, "b", "model.safetensors")).float32("vocab_transform.weight"), file.float32("vocab_transform.weight"), "seeded");
});

test("init options: word embeddings and other weights get their own std, the vocabulary bias a constant (DistilBERT and BERT)", async () => {
  const root = tempDir("splade-init-");
  const common = { layers: 1, dim: 16, heads: 2, maxPositions: 64, vocab: join(MODEL_DIR, "vocab.txt"), seed: 1, embeddingStd: 0.3, initStd: 0.1, vocabBias: -3 };
  for (const [architecture, words, linear, position, bias] of [
    ["distilbert", "distilbert.embeddings.word_embeddings.weight", "distilbert.transformer.layer.0.ffn.lin1.weight", "distilbert.embeddings.position_embeddings.weight", "vocab_projector.bias"],
    ["bert", "bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.intermediate.dense.weight", "bert.embeddings.position_embeddings.weight", "cls.predictions.bias"],
  ] as const) {
    const dir = join(root, architecture);
    initModelFolder(dir, { architecture, ...common });
    const file = readSafetensors(join(dir, "model.safetensors"));
    const w = file.float32(words);
    assert.ok(w.slice(0, 16).every((x) => x === 0), `${architecture}: padding row stays zero`);
    assert.ok(Math.abs(rms(w.slice(16)) - 0.3) < 0.003, `${architecture}: word embeddings std ${rms(w.slice(16))}`);
    assert.ok(Math.abs(rms(file.float32(linear)) - 0.1) < 0.003, `${architecture}: linear std ${rms(file.float32(linear))}`);
    assert.ok(Math.abs(rms(file.float32(position)) - 0.1) < 0.005, `${architecture}: position embeddings std`);
    const b = file.float32(bias);
    assert.equal(b.length, 30522);
    assert.ok(b.every((x) => x === -3), `${architecture}: vocabulary bias −3 everywhere`);
    assert.equal((JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { initializer_range: number }).initializer_range, 0.1);
    assert.equal((await loadTrainingModel(dir)).config.vocabSize, 30522);
  }
  assert.throws(() => initModelFolder(join(root, "bad"), { architecture: "distilbert", ...common, embeddingStd: -1 }), /embedding std must be a finite number ≥ 0, got -1/);
  assert.throws(() => initModelFolder(join(root, "bad"), { architecture: "distilbert", ...common, vocabBias: Number.NaN }), /vocabulary bias must be a finite number/);
});

test("splade init-model --embedding-std --init-std --vocab-bias (a negative value after the flag), and bad values refused", () => {
  const root = tempDir("splade-init-");
  const vocab = join(MODEL_DIR, "vocab.txt");
  const ok = spladeSync(["init-model", "--output", join(root, "m"), "--vocab", vocab, "--dim", "8", "--heads", "2", "--embedding-std", "0.3", "--init-std", "0.1", "--vocab-bias", "-3"]);
  assert.equal(ok.code, 0, ok.stderr);
  const file = readSafetensors(join(root, "m", "model.safetensors"));
  assert.ok(file.float32("vocab_projector.bias").every((x) => x === -3));
  assert.ok(Math.abs(rms(file.float32("distilbert.embeddings.word_embeddings.weight").slice(8)) - 0.3) < 0.005);
  const bad = spladeSync(["init-model", "--output", join(root, "n"), "--vocab", vocab, "--init-std", "-0.1"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--init-std <x>' argument '-0.1' is invalid. expected a finite number ≥ 0/);
});
