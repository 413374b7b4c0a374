/**
 * `splade mine-negatives --index <index-dir>`: mining from an index written by `splade index build` (model
 * recorded in the index, texts from its stored documents) gives exactly the rows that mining the same BEIR
 * corpus in memory with the same model gives; positives are excluded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTrain3 } from "../train/fixture.js";
import { spladeSync as splade } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";


test("mining from a BM25 index equals mining its BEIR corpus in memory", () => {
  const rows = readTrain3().batches.flat();
  const root = tempDir("splade-mine-index-");
  const beir = join(root, "tiny");
  mkdirSync(join(beir, "qrels"), { recursive: true });
  const docs = [...new Set(rows.flatMap((r) => [r.positive, r.negative]))];
  writeFileSync(join(beir, "corpus.jsonl"), docs.map((text, i) => JSON.stringify({ _id: `d${i}`, title: `t${i % 3}`, text })).join("\n") + "\n");
  writeFileSync(join(beir, "queries.jsonl"), rows.map((r, i) => JSON.stringify({ _id: `q${i}`, text: r.query })).join("\n") + "\n");
  const qrels = rows.map((r, i) => `q${i}\td${docs.indexOf(r.positive)}\t1`);
  writeFileSync(join(beir, "qrels", "train.tsv"), ["query-id\tcorpus-id\tscore", ...qrels].join("\n") + "\n");

  const index = join(root, "idx");
  const b = splade(["index", "build", "--model", "bm25", "--corpus", join(beir, "corpus.jsonl"), "--title", "--out", index]);
  assert.equal(b.code, 0, b.stderr);

  const fromIndex = join(root, "from-index.jsonl");
  const fromBeir = join(root, "from-beir.jsonl");
  const common = ["--pairs-beir", beir, "--title", "--num-negatives", "2", "--range-max", "20"];
  const a = splade(["mine-negatives", "--index", index, ...common, "--out", fromIndex]);
  assert.equal(a.code, 0, a.stderr);
  const c = splade(["mine-negatives", "--index", beir, "--model", "bm25", ...common, "--out", fromBeir]);
  assert.equal(c.code, 0, c.stderr);

  const indexRows = readFileSync(fromIndex, "utf8");
  assert.equal(indexRows, readFileSync(fromBeir, "utf8"));
  const parsed = indexRows.trim().split("\n").map((l) => JSON.parse(l) as { query: string; positive: string; negative: string });
  assert.ok(parsed.length >= rows.length);
  for (const r of parsed) {
    assert.notEqual(r.negative, r.positive);
    assert.match(r.negative, /^t\d /, "negatives carry the title, as the corpus was indexed with --title");
  }
});
