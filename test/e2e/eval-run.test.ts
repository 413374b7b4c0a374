// `splade eval-run` end to end: JSON keys and values in both conventions, TREC qrels, exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/temp-dir.js";

function splade(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/run.ts", ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = tempDir("splade-eval-run-");
const run = join(dir, "run.trec");
// q1: relevant a (grade 2) at rank 2, b (grade 1) at rank 3; q2 has no line (scores 0).
writeFileSync(run, "q1 Q0 x 1 3.0 t\nq1 Q0 a 2 2.0 t\nq1 Q0 b 3 1.0 t\nq9 Q0 a 1 1.0 t\n");
const beirQrels = join(dir, "qrels.tsv");
writeFileSync(beirQrels, "query-id\tcorpus-id\tscore\nq1\ta\t2\nq1\tb\t1\nq2\tc\t1\n");
const trecQrels = join(dir, "qrels.trec");
writeFileSync(trecQrels, "q1 0 a 2\nq1 0 b 1\nq2 0 c 1\n");

const KEYS = [
  "accuracy@1", "accuracy@3", "accuracy@5", "accuracy@10",
  "precision@1", "precision@3", "precision@5", "precision@10",
  "recall@1", "recall@3", "recall@5", "recall@10", "recall@100", "recall@1000",
  "ndcg@10", "mrr@10", "map@100",
];

test("--json prints one object with the documented keys, means over evaluated queries", () => {
  const st = splade("eval-run", "--run", run, "--qrels", beirQrels, "--json");
  assert.equal(st.code, 0, st.stderr);
  const metrics = JSON.parse(st.stdout) as Record<string, number>;
  assert.deepEqual(Object.keys(metrics), KEYS);
  const log2 = Math.log2;
  assert.ok(Math.abs(metrics["ndcg@10"] - (1 / log2(3) + 1 / log2(4)) / (1 + 1 / log2(3)) / 2) < 1e-12);
  assert.equal(metrics["mrr@10"], 0.25);
  assert.ok(Math.abs(metrics["map@100"] - (1 / 2 + 2 / 3) / 2 / 2) < 1e-12);
  const trec = splade("eval-run", "--run", run, "--qrels", trecQrels, "--json", "--conventions", "trec");
  assert.equal(trec.code, 0, trec.stderr);
  const graded = JSON.parse(trec.stdout) as Record<string, number>;
  assert.ok(Math.abs(graded["ndcg@10"] - (2 / log2(3) + 1 / log2(4)) / (2 + 1 / log2(3)) / 2) < 1e-12);
});

test("table output, and errors map to exit codes", () => {
  const table = splade("eval-run", "--run", run, "--qrels", beirQrels);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^Queries evaluated: 2 \(conventions: st\)\n/);
  assert.match(table.stdout, /\nmrr@10 +0\.25\n/);
  const missing = splade("eval-run", "--run", join(dir, "missing.trec"), "--qrels", beirQrels);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /FILE_NOT_FOUND.*missing\.trec/);
  const badChoice = splade("eval-run", "--run", run, "--qrels", beirQrels, "--conventions", "bm25");
  assert.equal(badChoice.code, 2);
});
