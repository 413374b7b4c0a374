/**
 * `splade index …` and `splade search` as a new user runs them: a BM25 index over a small BEIR corpus
 * (built, searched with readable, --json and --trec output, stats, delete, add, merge), a SPLADE index with
 * the tiny fixture model, hybrid RRF over both, and the errors for a missing or damaged index.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { splade } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";


const CORPUS = [
  { _id: "tides", title: "Ocean tides", text: "Tides are caused by the gravitational pull of the moon and the sun on the oceans." },
  { _id: "vitd", title: "Vitamin D", text: "Vitamin D deficiency is associated with bone disease and muscle weakness." },
  { _id: "photo", title: "Photosynthesis", text: "Plants convert light energy into chemical energy through photosynthesis." },
  { _id: "volcano", title: "Volcanoes", text: "A volcano erupts when magma rises through the crust of the earth." },
  { _id: "insulin", title: "Insulin", text: "Insulin regulates blood glucose; diabetes follows when insulin signalling fails." },
  ...Array.from({ length: 40 }, (_, i) => ({ _id: `filler-${i}`, title: `Note ${i}`, text: `An unrelated note number ${i} about ${["cats", "trains", "music", "weather"][i % 4]}.` })),
];

function setup(t: { after(fn: () => void): void }) {
  const dir = tempDir("splade-index-e2e-");
  const corpus = join(dir, "corpus.jsonl");
  writeFileSync(corpus, CORPUS.map((d) => JSON.stringify(d)).join("\n") + "\n");
  return { dir, corpus };
}

test("BM25 index: build, search (text, json, trec), stats, delete, add, merge", async (t) => {
  const { dir, corpus } = setup(t);
  const index = join(dir, "bm25");
  const build = await splade(["index", "build", "--model", "bm25", "--corpus", corpus, "--title", "--out", index]);
  assert.equal(build.code, 0, build.stderr);
  assert.match(build.stderr, /indexed 45 documents/);

  const readable = await splade(["search", "--index", index, "--query", "what causes ocean tides?", "-k", "3"]);
  assert.equal(readable.code, 0, readable.stderr);
  assert.match(readable.stdout, /1\. tides\s+\d+\.\d{4}\s+Ocean tides/);

  const queries = join(dir, "queries.jsonl");
  writeFileSync(queries, [{ _id: "q1", text: "vitamin D deficiency" }, { _id: "q2", text: "insulin and diabetes" }].map((q) => JSON.stringify(q)).join("\n"));
  const json = await splade(["search", "--index", index, "--queries", queries, "-k", "2", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.query_id, l.hits[0].id]), [["q1", "vitd"], ["q2", "insulin"]]);
  assert.deepEqual(Object.keys(lines[0].hits[0]), ["id", "score"]);

  const trec = await splade(["search", "--index", index, "--queries", queries, "-k", "2", "--trec", "--run-name", "bm25"]);
  assert.match(trec.stdout.split("\n")[0], /^q1 Q0 vitd 1 \d+(\.\d+)? bm25$/);

  assert.equal((await splade(["index", "delete", index, "--ids", "vitd,nope"])).code, 0);
  const afterDelete = JSON.parse((await splade(["search", "--index", index, "--query", "vitamin D deficiency", "--json"])).stdout);
  assert.ok(!afterDelete.hits.some((h: { id: string }) => h.id === "vitd"));

  const more = join(dir, "more.jsonl");
  writeFileSync(more, JSON.stringify({ _id: "glacier", title: "Glaciers", text: "Glaciers carve valleys as the ice moves downhill." }) + "\n");
  assert.equal((await splade(["index", "add", index, "--corpus", more, "--title"])).code, 0);
  assert.equal(JSON.parse((await splade(["search", "--index", index, "--query", "glaciers carve valleys", "--json"])).stdout).hits[0].id, "glacier");

  assert.equal((await splade(["index", "merge", index])).code, 0);
  const stats = JSON.parse((await splade(["index", "stats", index, "--json"])).stdout);
  assert.equal(stats.docCount, 45);
  assert.equal(stats.segmentCount, 1);
  assert.equal(stats.deletedCount, 0);
  assert.deepEqual(stats.model, { kind: "bm25", vocab: "bert-base-uncased", k1: 0.9, b: 0.4 });
});

test("SPLADE index with the fixture model, hybrid RRF, and errors for a missing or damaged index", async (t) => {
  const { dir, corpus } = setup(t);
  const bm25 = join(dir, "bm25");
  const spladeIndex = join(dir, "splade");
  assert.equal((await splade(["index", "build", "--model", "bm25", "--corpus", corpus, "--out", bm25])).code, 0);
  const built = await splade(["index", "build", "--model", "test/fixtures/tiny-bert-splade", "--corpus", corpus, "--out", spladeIndex, "--quantize", "u8"]);
  assert.equal(built.code, 0, built.stderr);
  const alone = await splade(["search", "--index", spladeIndex, "--query", "ocean tides", "--json", "-k", "5"]);
  assert.equal(alone.code, 0, alone.stderr);
  assert.equal(JSON.parse(alone.stdout).hits.length, 5);

  const noFusion = await splade(["search", "--index", bm25, "--index", spladeIndex, "--query", "ocean tides"]);
  assert.equal(noFusion.code, 2);
  const hybrid = await splade(["search", "--index", bm25, "--index", spladeIndex, "--fusion", "rrf", "--query", "ocean tides", "--json", "-k", "5"]);
  assert.equal(hybrid.code, 0, hybrid.stderr);
  const hits = JSON.parse(hybrid.stdout).hits;
  assert.equal(hits.length, 5);
  assert.ok(hits[0].score <= 2 / 61 && hits[0].score > 0);

  const missing = await splade(["search", "--index", join(dir, "nothing"), "--query", "x"]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /FILE_NOT_FOUND/);
  const seg = join(bm25, readdirSync(bm25).find((f) => f.endsWith(".seg"))!);
  const bytes = readFileSync(seg);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(seg, bytes);
  const damaged = await splade(["search", "--index", bm25, "--query", "x"]);
  assert.equal(damaged.code, 3);
  assert.match(damaged.stderr, /CHECKSUM_MISMATCH.*checksum mismatch/);
});

/** Runs the CLI with stdout read by something like `head -1`: the pipe is closed after the first line. */
function spladeFirstLine(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; firstLine: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes("\n")) child.stdout.destroy();
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code, signal) => resolve({ code, signal, firstLine: stdout.split("\n")[0], stderr }));
  });
}

test("search | head: a reader closing stdout early ends the command quietly with exit code 0", async (t) => {
  const { dir, corpus } = setup(t);
  const index = join(dir, "bm25");
  const build = await splade(["index", "build", "--model", "bm25", "--corpus", corpus, "--title", "--out", index]);
  assert.equal(build.code, 0, build.stderr);
  // 300 queries × ~45 TREC lines each: far more output than a pipe buffers, so writes go on after the close.
  const queries = join(dir, "many-queries.jsonl");
  const topics = "an unrelated note number about cats trains music weather ocean vitamin insulin volcano plants";
  writeFileSync(queries, Array.from({ length: 300 }, (_, i) => JSON.stringify({ _id: `q${i}`, text: `${topics} ${i}` })).join("\n") + "\n");
  const run = await spladeFirstLine(["search", "--index", index, "--queries", queries, "-k", "45", "--trec"]);
  assert.match(run.firstLine, /^q0 Q0 \S+ 1 /);
  assert.equal(run.stderr, "", "nothing on stderr (no EPIPE stack trace)");
  assert.equal(run.code, 0);
});

test("search --approximate: the same top hits with exact scores as exact search; knobs and conflicts are checked", async (t) => {
  const { dir, corpus } = setup(t);
  const index = join(dir, "bm25");
  assert.equal((await splade(["index", "build", "--model", "bm25", "--corpus", corpus, "--title", "--out", index])).code, 0);
  const queries = join(dir, "queries.jsonl");
  writeFileSync(queries, [{ _id: "q1", text: "vitamin D deficiency" }, { _id: "q2", text: "what causes ocean tides?" }, { _id: "q3", text: "insulin and diabetes" }].map((q) => JSON.stringify(q)).join("\n"));
  const exact = await splade(["search", "--index", index, "--queries", queries, "-k", "3", "--json"]);
  assert.equal(exact.code, 0, exact.stderr);
  for (const knobs of [[], ["queryTerms=8,heapFactor=0.9,rescore=3"]]) {
    const approximate = await splade(["search", "--index", index, "--queries", queries, "-k", "3", "--json", "--approximate", ...knobs]);
    assert.equal(approximate.code, 0, approximate.stderr);
    // A 45-document index keeps every posting: the approximate lists are the exact ones, scores included.
    assert.equal(approximate.stdout, exact.stdout);
  }
  const conflict = await splade(["search", "--index", index, "--query", "tides", "--approximate", "--algorithm", "exhaustive"]);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.stderr, /cannot be used with/);
  const bad = await splade(["search", "--index", index, "--query", "tides", "--approximate", "queryTerms=0"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /queryTerms must be a positive integer/);
});
