/**
 * Child process of kill-mid-write.test.ts: applies the deterministic operation schedule of
 * writer-schedule.ts to the index in argv[2], one generation after another, until it is killed.
 * Prints "committed <generation>" after each commit.
 */
import { SparseIndex } from "../../../src/index/sparse-index.js";
import { hasManifest } from "../../../src/index/manifest.js";
import { applyOperation } from "./writer-schedule.js";

const dir = process.argv[2];
let generation = hasManifest(dir) ? ((await SparseIndex.open(dir)).generation ?? 0) : 0;
for (let step = 0; step < 200; step++) {
  generation = await applyOperation(dir, generation + 1);
  process.stdout.write(`committed ${generation}\n`);
}
