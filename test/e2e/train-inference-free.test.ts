/**
 * The inference-free recipe end to end through the CLI, on a tiny BEIR folder made from the train3 fixture's
 * texts: `splade init-model --inference-free --idf-corpus` (IDF query weights), `splade mine-negatives` (BM25),
 * `splade train` with --router-mapping, --learning-rate-mapping and --use-document-regularizer-only; the output
 * is a Router folder whose query weights trained. Without a router mapping, training a Router is refused with
 * the mapping to give.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors } from "../../src/safetensors/index.js";
import { spladeSync } from "../helpers/cli.js";
import { MODEL_DIR, writeTrain3Beir } from "../train/fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

test("init-model --inference-free (IDF) → mine-negatives → train --router-mapping: a trained Router folder", () => {
  const root = tempDir("splade-if-e2e-");
  const beir = join(root, "tiny");
  const { docs } = writeTrain3Beir(beir);

  const init = join(root, "init");
  const noIdf = spladeSync(["init-model", "--output", init, "--vocab", join(MODEL_DIR, "vocab.txt"), "--inference-free"]);
  assert.notEqual(noIdf.code, 0);
  assert.match(noIdf.stderr, /--inference-free needs exactly one of --idf-corpus and --idf-json/);
  const i = spladeSync(["init-model", "--output", init, "--vocab", join(MODEL_DIR, "vocab.txt"), "--tokenizer-json", join(MODEL_DIR, "tokenizer.json"), "--dim", "16", "--heads", "2", "--max-positions", "128", "--inference-free", "--idf-corpus", beir]);
  assert.equal(i.code, 0, i.stderr);
  assert.match(i.stdout, new RegExp(`IDF of ${docs.length} documents`));
  const idf = readSafetensors(join(init, "query_0_SparseStaticEmbedding", "model.safetensors")).float32("weight");

  const mined = join(root, "mined.jsonl");
  assert.equal(spladeSync(["mine-negatives", "--index", beir, "--pairs-beir", beir, "--out", mined, "--num-negatives", "1"]).code, 0);

  const refused = spladeSync(["train", "--model", init, "--train", mined, "--output", join(root, "x"), "--max-steps", "1"]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Router model .*router mapping.*\{"query":"query","positive":"document","negative":"document"\}/);

  const out = join(root, "out");
  const t = spladeSync(["train", "--model", init, "--train", mined, "--output", out, "--max-steps", "2", "--batch-size", "4", "--lr", "1e-3", "--threads", "1",
    "--router-mapping", '{"query": "query"}', "--learning-rate-mapping", '{"SparseStaticEmbedding\\\\.weight": 1e-2}', "--use-document-regularizer-only", "--lambda-query", "0"]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /trained 2 steps/);
  for (const f of ["modules.json", "router_config.json", "query_0_SparseStaticEmbedding/model.safetensors", "document_0_MLMTransformer/model.safetensors", "document_1_SpladePooling/config.json", "README.md"]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const trained = readSafetensors(join(out, "query_0_SparseStaticEmbedding", "model.safetensors")).float32("weight");
  const moved = trained.reduce((n, w, k) => n + (Math.abs(w - idf[k]) > 5e-3 ? 1 : 0), 0);
  assert.ok(moved > 10, `query weights moved at their own learning rate (${moved} by more than 5e-3)`);
  const card = readFileSync(join(out, "README.md"), "utf8");
  assert.match(card, /Inference-free SPLADE Sparse Encoder/);
  assert.match(card, /`learning_rate_mapping`: \{"SparseStaticEmbedding\\\\.weight":0.01\}/);
  assert.match(card, /"use_document_regularizer_only": true/);
});
