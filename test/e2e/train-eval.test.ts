/**
 * `splade mine-negatives` then `splade train --eval-beir` end to end on a tiny BEIR folder made from the
 * train3 fixture's texts: mined rows exclude positives; evaluation runs every 2 steps, the best checkpoint by
 * nDCG@10 becomes the output model, and the model card shows the evaluation and the bold saved row.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spladeSync } from "../helpers/cli.js";
import { MODEL_DIR, writeTrain3Beir } from "../train/fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

test("mine-negatives → train with BEIR evaluation: best checkpoint kept, card written", async () => {
  const root = tempDir("splade-train-eval-");
  const beir = join(root, "tiny");
  const { rows } = writeTrain3Beir(beir, 6);

  const mined = join(root, "mined.jsonl");
  const m = spladeSync(["mine-negatives", "--index", beir, "--pairs-beir", beir, "--out", mined, "--num-negatives", "1"]);
  assert.equal(m.code, 0, m.stderr);
  const minedRows = readFileSync(mined, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { query: string; positive: string; negative: string });
  assert.equal(minedRows.length, rows.length);
  for (const r of minedRows) assert.notEqual(r.negative, r.positive);

  const out = join(root, "out");
  const t = spladeSync(["train", "--model", MODEL_DIR, "--train", mined, "--output", out, "--eval-beir", beir, "--max-steps", "4", "--batch-size", "4",
    "--lr", "1e-3", "--eval-steps", "2", "--logging-steps", "1", "--save-total-limit", "1", "--threads", "2"]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /trained 4 steps; best step (2|4) \(tiny_dot_ndcg@10 /);
  const best = Number(/best step (\d)/.exec(t.stdout)![1]);
  const state = JSON.parse(readFileSync(join(out, `checkpoint-${best}`, "trainer_state.json"), "utf8")) as { evaluations: Array<{ step: number; metrics: Record<string, number> }> };
  assert.deepEqual(state.evaluations.map((e) => e.step), best === 2 ? [2] : [2, 4]);
  assert.ok(readFileSync(join(out, "model.safetensors")).equals(readFileSync(join(out, `checkpoint-${best}`, "model.safetensors"))), "the output model is the best checkpoint");
  const card = readFileSync(join(out, "README.md"), "utf8");
  assert.match(card, /\| tiny_dot_ndcg@10 \| /);
  assert.match(card, new RegExp(`\\| \\*\\*${best}\\*\\* \\|`), "bold row of the saved checkpoint");
});
