/**
 * The toolkit on every family, as a user runs it: `splade info` lists routes and modules, `splade encode
 * --task` follows the Router's routes, `splade index build` / `splade search` with an inference-free model
 * (whose queries open no onnxruntime session: checked in process), and `splade eval` scoring an inference-free
 * model (dot) and a CSR model (cosine, named so in the report).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { SparseEncoder } from "../../src/encoder/index.js";
import { searchIndexes } from "../../src/app/search-indexes.js";
import { dot } from "../../src/sparse/ops.js";
import { splade } from "../helpers/cli.js";
import { modelDir } from "../parity/golden.js";
import { tempDir } from "../helpers/temp-dir.js";

const IFREE = modelDir("tiny-inference-free-splade");
const CSR = modelDir("tiny-csr");
const CORPUS = [
  { _id: "tides", title: "Ocean tides", text: "Tides are caused by the gravitational pull of the moon and the sun on the oceans." },
  { _id: "vitd", title: "Vitamin D", text: "Vitamin D deficiency is associated with bone disease and muscle weakness." },
  { _id: "photo", title: "Photosynthesis", text: "Plants convert light energy into chemical energy through photosynthesis." },
  { _id: "volcano", title: "Volcanoes", text: "A volcano erupts when magma rises through the crust of the earth." },
];
const QUERIES = [
  { _id: "q1", text: "what causes ocean tides" },
  { _id: "q2", text: "vitamin d and bones" },
];

function workspace(t: { after(fn: () => void): void }): string {
  const dir = tempDir("splade-families-e2e-");
  return dir;
}

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const readVectors = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; indices: number[]; values: number[] });

test("info --json lists the routes, their kinds and modules, and the default route", async () => {
  const run = await splade(["info", "--model", IFREE, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const info = JSON.parse(run.stdout);
  assert.equal(info.defaultRoute, "document");
  assert.deepEqual(info.routes.map((r: { name: string; kind: string; modules: Array<{ type: string }> }) => [r.name, r.kind, r.modules.map((m) => m.type)]), [
    ["query", "static", ["SparseStaticEmbedding"]],
    ["document", "splade", ["MLMTransformer", "SpladePooling"]],
  ]);
  const table = await splade(["info", "--model", CSR]);
  assert.match(table.stdout, /SparseAutoEncoder \[2_SparseAutoEncoder\] 32 → 256, k 16/);
  assert.match(table.stdout, /similarity +cosine/);
});

test("encode --task query / document follows the Router's routes", async (t) => {
  const dir = workspace(t);
  const input = join(dir, "queries.jsonl");
  writeFileSync(input, jsonl(QUERIES));
  const encoder = await SparseEncoder.fromPretrained(IFREE, { threads: 1 });
  try {
    for (const task of ["query", "document"] as const) {
      const output = join(dir, `${task}.jsonl`);
      const run = await splade(["encode", "--model", IFREE, "--input", input, "--output", output, "--task", task, "--threads", "1"]);
      assert.equal(run.code, 0, run.stderr);
      const expected = task === "query" ? await encoder.encodeQuery(QUERIES.map((q) => q.text)) : await encoder.encodeDocument(QUERIES.map((q) => q.text));
      readVectors(output).forEach((v, i) => {
        assert.deepEqual(v.indices, Array.from(expected[i].indices));
        assert.deepEqual(v.values.map(Math.fround), Array.from(expected[i].values)); // written as the shortest float32 decimal
      });
    }
    const bad = await splade(["encode", "--model", IFREE, "--input", input, "--output", join(dir, "x.jsonl"), "--task", "passage"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /no route for task "passage"/);
  } finally {
    await encoder.release();
  }
});

test("index build + search with an inference-free model: queries take the static route and open no session", async (t) => {
  const dir = workspace(t);
  const corpus = join(dir, "corpus.jsonl");
  writeFileSync(corpus, jsonl(CORPUS));
  const index = join(dir, "index");
  const build = await splade(["index", "build", "--model", IFREE, "--corpus", corpus, "--title", "--out", index]);
  assert.equal(build.code, 0, build.stderr);
  const search = await splade(["search", "--index", index, "--query", QUERIES[0].text, "-k", "4", "--json"]);
  assert.equal(search.code, 0, search.stderr);
  const hits = JSON.parse(search.stdout).hits as Array<{ id: string; score: number }>;

  const encoder = await SparseEncoder.fromPretrained(IFREE, { threads: 1 });
  const [query] = await encoder.encodeQuery([QUERIES[0].text]);
  const docs = await encoder.encodeDocument(CORPUS.map((d) => `${d.title} ${d.text}`));
  await encoder.release();
  const expected = CORPUS.map((d, i) => ({ id: d._id, score: dot(query, docs[i]) })).filter((h) => h.score > 0).sort((a, b) => b.score - a.score);
  assert.deepEqual(hits.map((h) => h.id), expected.map((h) => h.id));
  hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i].score) <= 1e-4 * Math.max(1, expected[i].score)));

  // In process: the same search creates no onnxruntime session at all.
  const create = ort.InferenceSession.create;
  let sessions = 0;
  (ort.InferenceSession as { create: unknown }).create = (...args: unknown[]) => {
    sessions++;
    return (create as (...a: unknown[]) => unknown).apply(ort.InferenceSession, args);
  };
  try {
    const results = await searchIndexes([index], [{ id: "q1", text: QUERIES[0].text }], { k: 4 });
    assert.deepEqual(results[0].hits.map((h) => h.id), expected.map((h) => h.id));
    assert.equal(sessions, 0, "no onnxruntime session for inference-free queries");
  } finally {
    (ort.InferenceSession as { create: unknown }).create = create;
  }
});

test("eval scores an inference-free model (dot) and a CSR model (cosine)", async (t) => {
  const dir = workspace(t);
  const beir = join(dir, "toy");
  mkdirSync(join(beir, "qrels"), { recursive: true });
  writeFileSync(join(beir, "corpus.jsonl"), jsonl(CORPUS));
  writeFileSync(join(beir, "queries.jsonl"), jsonl(QUERIES));
  writeFileSync(join(beir, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\ttides\t1\nq2\tvitd\t1\n");
  for (const [model, score] of [[IFREE, "dot"], [CSR, "cosine"]] as const) {
    const output = join(dir, `${score}.json`);
    const run = await splade(["eval", "--model", model, "--beir", beir, "--title", "--output", output]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`\\| ${score}_ndcg@10 +\\|`));
    const report = JSON.parse(readFileSync(output, "utf8"));
    const ndcg = report.metrics[`toy_${score}_ndcg@10`];
    assert.ok(ndcg >= 0 && ndcg <= 1, `${score} nDCG@10 ${ndcg}`);
    // The queries went through the query route (inference-free: one weight per distinct token).
    const encoder = await SparseEncoder.fromPretrained(model, { threads: 1 });
    const queries = await encoder.encodeQuery(QUERIES.map((q) => q.text));
    await encoder.release();
    const activeDims = queries.reduce((sum, v) => sum + v.indices.length, 0) / queries.length;
    assert.equal(report.metrics[`toy_query_active_dims`], activeDims);
  }
});
