/**
 * A reader opening an index while another process commits and merges: between reading the manifest and its
 * segment files, the writer may publish a newer manifest and delete the files of the old one. openSync then
 * opens the newer generation (as Lucene's FindSegmentsFile) instead of failing with a missing file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createIndex } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { syntheticDocuments } from "./helpers/corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

test("opening an index while another process keeps adding and merging always succeeds, on a whole generation", async () => {
  const dir = tempDir("splade-open-merge-");
  await createIndex(dir, syntheticDocuments(11, 0, 400));
  const writer = spawn(process.execPath, ["--import", "tsx", join("test", "index", "helpers", "churn-writer.ts"), dir, "4000"], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  writer.stdout.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => writer.on("close", resolve));
  let opens = 0;
  let running = true;
  void exited.then(() => (running = false));
  while (running) {
    const index = SparseIndex.openSync(dir);
    // A whole generation: the 400 documents, plus 20 per committed add, all in the segments read.
    assert.equal((index.docCount - 400) % 20, 0, `documents ${index.docCount}`);
    opens++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(await exited, 0);
  const rounds = Number(output.trim());
  assert.ok(rounds >= 3 && opens >= 20, `${rounds} merges by the writer, ${opens} opens by the reader`);
});
