/**
 * `splade train --warmup-steps 0` means no warm-up (transformers: warmup_steps 0 with warmup_ratio 0), so the
 * first update runs at the full --lr and the schedule decays linearly from there; --warmup-steps N still ramps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spladeSync } from "../helpers/cli.js";
import { MODEL_DIR, readTrain3 } from "../train/fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

test("--warmup-steps 0: the first update uses the full lr; --warmup-steps 2 starts at 0", () => {
  const root = tempDir("splade-warmup-");
  const trainFile = join(root, "train.jsonl");
  writeFileSync(trainFile, readTrain3().batches.flat().map((r) => JSON.stringify(r)).join("\n") + "\n");
  const lrs = (warmup: string): number[] => {
    const log = join(root, `log-${warmup}.jsonl`);
    const r = spladeSync(["train", "--model", MODEL_DIR, "--train", trainFile, "--output", join(root, `out-${warmup}`), "--max-steps", "4", "--batch-size", "4",
      "--lr", "1e-3", "--warmup-steps", warmup, "--dropout", "off", "--save-steps", "100", "--logging-steps", "1", "--threads", "1", "--log", log]);
    assert.equal(r.code, 0, r.stderr);
    return readFileSync(log, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { lr: number }).lr);
  };
  assert.deepEqual(lrs("0"), [1e-3, 0.75e-3, 0.5e-3, 0.25e-3]);
  assert.deepEqual(lrs("2"), [0, 0.5e-3, 1e-3, 0.5e-3]);
  const card = readFileSync(join(root, "out-0", "README.md"), "utf8");
  assert.match(card, /warmup_steps[^\n]*\b0\b/);
});
