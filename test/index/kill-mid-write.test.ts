/**
 * A writer killed at any moment leaves the previous index readable and intact: a real child process applies
 * writes (create, add, delete, merge) in a loop and is SIGKILLed at random moments; after each kill the
 * index must open, be at the last generation the child reported (or the one it was committing), hold exactly
 * the documents of that generation and answer like brute force. The next child takes over the stale lock,
 * cleans up and continues.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { hasManifest } from "../../src/index/manifest.js";
import { segmentDocId } from "../../src/index/segment.js";
import { isDeleted } from "../../src/index/segment-query.js";
import { Rng } from "../../src/util/rng.js";
import { expectedDocuments } from "./helpers/writer-schedule.js";
import { syntheticVector, expectedHits } from "./helpers/corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

const CHILD = join(import.meta.dirname, "helpers", "kill-writer-child.ts");

function runAndKill(dir: string, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let last = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/committed (\d+)/g)) last = Number(m[1]);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(last);
      else reject(new Error(`child exited by itself (code ${code}): ${stderr}`));
    });
  });
}

function liveIds(index: SparseIndex): string[] {
  const ids: string[] = [];
  for (const { segment, deleted } of index.segments) {
    for (let p = 0; p < segment.docCount; p++) if (!isDeleted(deleted, p)) ids.push(segmentDocId(segment, p));
  }
  return ids;
}

test("killing a writer at random moments never loses or damages the index", { timeout: 120_000 }, async (t) => {
  const dir = tempDir("splade-kill-");
  const rng = new Rng(2024);
  const queries = Array.from({ length: 5 }, (_, i) => syntheticVector(777, i, 3000, 8));
  let kills = 0;
  let committed = 0; // last generation known to be committed
  for (let round = 0; round < 7; round++) {
    const reported = await runAndKill(dir, 700 + rng.int(1800));
    kills++;
    t.diagnostic(`round ${round}: child reported generation ${reported}`);
    committed = Math.max(committed, reported);
    if (!hasManifest(dir)) {
      assert.equal(committed, 0, "no manifest only before the first commit");
      continue;
    }
    const index = await SparseIndex.open(dir);
    const g = index.generation!;
    assert.ok(g === committed || g === committed + 1, `generation ${g} after the child reported ${committed}`);
    committed = g;
    const expected = expectedDocuments(g);
    assert.deepEqual(liveIds(index), expected.map((d) => d.id), `documents of generation ${g}`);
    for (const query of queries) {
      assert.deepEqual(index.search(query, { k: 5 }).map(({ id, score }) => ({ id, score })), expectedHits(expected, query, 5));
    }
  }
  assert.equal(kills, 7);
  const leftovers = readdirSync(dir).filter((f) => f.endsWith(".tmp"));
  assert.ok(leftovers.length <= 2, `temporaries of killed writers are cleaned by the next one (${leftovers.join(", ")})`);
});
