/** src/train/init-model.ts: a seeded random *ForMaskedLM folder that loads and trains; HF initialisation rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors } from "../../src/safetensors/index.js";
import { initModelFolder } from "../../src/train/init-model.js";
import { loadTrainingModel } from "../../src/train/model-source.js";
import { MODEL_DIR } from "./fixture.js";

test("init-model writes a loadable DistilBERT with N(0, 0.02) weights, unit LayerNorms, zero biases and padding row", async () => {
  const root = mkdtempSync(join(tmpdir(), "splade-init-"));
  try {
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
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
