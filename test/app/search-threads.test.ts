/**
 * searchIndexes with `threads` (`splade search --threads N`): a queries file spread over worker threads, and
 * one query split across an index's segments (the calling thread and a worker sharing the k-th score), return
 * exactly what one thread returns — ids, scores and payloads, ties by insertion order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addCorpusToIndex, buildIndexFromCorpus } from "../../src/app/index-corpus.js";
import { createEncoder } from "../../src/app/encoders.js";
import { searchIndexes, type QueryText } from "../../src/app/search-indexes.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { spladeSync } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const SCIFACT = "test/data/scifact";
const PARTS = 4;

/** A BM25 index of SciFact in PARTS segments (one build, then PARTS − 1 additions). */
async function segmentedIndex(): Promise<string> {
  const dir = tempDir("splade-search-threads-");
  const lines = readFileSync(join(SCIFACT, "corpus.jsonl"), "utf8").split("\n").filter((l) => l !== "");
  const size = Math.ceil(lines.length / PARTS);
  const parts = Array.from({ length: PARTS }, (_, p) => {
    const path = join(dir, `part-${p}.jsonl`);
    writeFileSync(path, lines.slice(p * size, (p + 1) * size).join("\n") + "\n");
    return path;
  });
  const out = join(dir, "index");
  const encoder = await createEncoder("bm25");
  try {
    await buildIndexFromCorpus(parts[0], out, encoder, { title: true });
  } finally {
    await encoder.release();
  }
  for (const part of parts.slice(1)) await addCorpusToIndex(part, out, { title: true });
  return out;
}

const queries: QueryText[] = readFileSync(join(SCIFACT, "queries.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l !== "")
  .slice(0, 60)
  .map((l) => JSON.parse(l) as { _id: string; text: string })
  .map((q) => ({ id: q._id, text: q.text }));

test("threads > 1 returns one thread's results: a queries file on the pool, one query split across segments", async () => {
  const index = await segmentedIndex();
  assert.ok(SparseIndex.openSync(index).segments.length >= 2, "the index has several segments to split");
  for (const algorithm of ["bmp", "exhaustive"] as const) {
    const one = await searchIndexes([index], queries, { k: 10, algorithm });
    assert.ok(one.every((r) => r.hits.length === 10));
    assert.deepEqual(await searchIndexes([index], queries, { k: 10, algorithm, threads: 2 }), one, `${algorithm}: a queries file on 2 threads`);
    for (const i of [0, 7, 31]) {
      assert.deepEqual(await searchIndexes([index], [queries[i]], { k: 10, algorithm, threads: 2 }), [one[i]], `${algorithm}: query ${queries[i].id} split`);
    }
  }
  const approximate = { queryTerms: 8, heapFactor: 0.9 };
  assert.deepEqual(
    await searchIndexes([index], queries, { k: 10, approximate, threads: 3 }),
    await searchIndexes([index], queries, { k: 10, approximate }),
    "approximate: the same search per query on the pool",
  );
  await assert.rejects(searchIndexes([index], queries, { threads: 0 }), /threads must be a positive integer, got 0/);
});

test("splade search --threads 2 prints one thread's TREC run", async () => {
  const index = await segmentedIndex();
  const dir = tempDir("splade-search-threads-");
  const file = join(dir, "queries.jsonl");
  writeFileSync(file, queries.slice(0, 20).map((q) => JSON.stringify({ _id: q.id, text: q.text })).join("\n") + "\n");
  const one = spladeSync(["search", "--index", index, "--queries", file, "--trec"]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout.trim().split("\n").length, 200);
  const two = spladeSync(["search", "--index", index, "--queries", file, "--trec", "--threads", "2"]);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  const engine = spladeSync(["search", "--engine", "opensearch", "--url", "http://127.0.0.1:1", "--target", "x", "--query", "q", "--threads", "2"]);
  assert.equal(engine.code, 2, engine.stderr);
  assert.match(engine.stderr, /--threads searches a local index/);
});
