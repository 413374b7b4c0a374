/**
 * The inference-free recipe end to end through the CLI, on a tiny BEIR folder made from the train3 fixture's
 * texts: `splade init-model --inference-free --idf-corpus` (IDF query weights), `splade mine-negatives` (BM25),
 * `splade train` with --router-mapping, --learning-rate-mapping and --use-document-regularizer-only; the output
 * is a Router folder whose query weights trained. Without a router mapping, training a Router is refused with
 * the mapping to give.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors } from "../../src/safetensors/index.js";
import { MODEL_DIR, readTrain3 } from "../train/fixture.js";

function splade(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/run.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("init-model --inference-free (IDF) → mine-negatives → train --router-mapping: a trained Router folder", () => {
  const rows = readTrain3().batches.flat();
  const root = mkdtempSync(join(tmpdir(), "splade-if-e2e-"));
  try {
    const beir = join(root, "tiny");
    mkdirSync(join(beir, "qrels"), { recursive: true });
    const docs = [...new Set(rows.flatMap((r) => [r.positive, r.negative]))];
    writeFileSync(join(beir, "corpus.jsonl"), docs.map((text, i) => JSON.stringify({ _id: `d${i}`, title: "", text })).join("\n") + "\n");
    writeFileSync(join(beir, "queries.jsonl"), rows.map((r, i) => JSON.stringify({ _id: `q${i}`, text: r.query })).join("\n") + "\n");
    writeFileSync(join(beir, "qrels", "train.tsv"), ["query-id\tcorpus-id\tscore", ...rows.map((r, i) => `q${i}\td${docs.indexOf(r.positive)}\t1`)].join("\n") + "\n");

    const init = join(root, "init");
    const noIdf = splade(["init-model", "--output", init, "--vocab", join(MODEL_DIR, "vocab.txt"), "--inference-free"]);
    assert.notEqual(noIdf.status, 0);
    assert.match(noIdf.stderr, /--inference-free needs exactly one of --idf-corpus and --idf-json/);
    const i = splade(["init-model", "--output", init, "--vocab", join(MODEL_DIR, "vocab.txt"), "--tokenizer-json", join(MODEL_DIR, "tokenizer.json"), "--dim", "16", "--heads", "2", "--max-positions", "128", "--inference-free", "--idf-corpus", beir]);
    assert.equal(i.status, 0, i.stderr);
    assert.match(i.stdout, new RegExp(`IDF of ${docs.length} documents`));
    const idf = readSafetensors(join(init, "query_0_SparseStaticEmbedding", "model.safetensors")).float32("weight");

    const mined = join(root, "mined.jsonl");
    assert.equal(splade(["mine-negatives", "--index", beir, "--pairs-beir", beir, "--out", mined, "--num-negatives", "1"]).status, 0);

    const refused = splade(["train", "--model", init, "--train", mined, "--output", join(root, "x"), "--max-steps", "1"]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Router model .*router mapping.*\{"query":"query","positive":"document","negative":"document"\}/);

    const out = join(root, "out");
    const t = splade(["train", "--model", init, "--train", mined, "--output", out, "--max-steps", "2", "--batch-size", "4", "--lr", "1e-3", "--threads", "1",
      "--router-mapping", '{"query": "query"}', "--learning-rate-mapping", '{"SparseStaticEmbedding\\\\.weight": 1e-2}', "--use-document-regularizer-only", "--lambda-query", "0"]);
    assert.equal(t.status, 0, t.stderr);
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
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
