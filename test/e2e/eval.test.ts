// `splade eval` end to end with BM25: a BEIR folder (table, JSON and CSV files), NanoBEIR from a local Hub
// server (per-dataset columns and the mean; then offline from the cache), and usage errors.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startHubServer } from "../helpers/hub-server.js";
import { writeNanoBeirRepo, type NanoBeirContent } from "../eval/helpers/nanobeir-fixture.js";
import { splade } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";


const toy: NanoBeirContent = {
  corpus: [
    { _id: "d1", text: "Cats purr when they are content." },
    { _id: "d2", text: "Dogs bark at strangers and cats." },
    { _id: "d3", text: "The stock market fell sharply today." },
  ],
  queries: [
    { _id: "q1", text: "why do cats purr" },
    { _id: "q2", text: "stock market news" },
  ],
  qrels: [
    { "query-id": "q1", "corpus-id": "d1" },
    { "query-id": "q2", "corpus-id": "d3" },
  ],
};

const dir = tempDir("splade-eval-e2e-");
const beir = join(dir, "toy");
mkdirSync(join(beir, "qrels"), { recursive: true });
writeFileSync(join(beir, "corpus.jsonl"), toy.corpus.map((d) => JSON.stringify({ ...d, title: "" })).join("\n"));
writeFileSync(join(beir, "queries.jsonl"), toy.queries.map((q) => JSON.stringify(q)).join("\n"));
writeFileSync(join(beir, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n");

const hub = await startHubServer({
  datasets: { "zeta-alpha-ai/NanoMSMARCO": writeNanoBeirRepo(toy), "zeta-alpha-ai/NanoNQ": writeNanoBeirRepo(toy) },
});
after(() => hub.close());

test("BEIR folder: card-shaped table on stdout, JSON and CSV reports", async () => {
  const output = join(dir, "report.json");
  const result = await splade(["eval", "--model", "bm25", "--beir", beir, "--title", "--output", output]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^\| Metric +\| +toy \|$/);
  assert.deepEqual(
    lines.slice(2).map((l) => l.split("|")[1].trim()),
    [
      "dot_accuracy@1", "dot_accuracy@3", "dot_accuracy@5", "dot_accuracy@10",
      "dot_precision@1", "dot_precision@3", "dot_precision@5", "dot_precision@10",
      "dot_recall@1", "dot_recall@3", "dot_recall@5", "dot_recall@10",
      "dot_ndcg@10", "dot_mrr@10", "dot_map@100",
      "query_active_dims", "query_sparsity_ratio", "corpus_active_dims", "corpus_sparsity_ratio", "avg_flops",
    ],
  );
  assert.match(result.stdout, /\| dot_ndcg@10 +\| +1 \|/);
  const json = JSON.parse(readFileSync(output, "utf8"));
  assert.equal(json.metrics["toy_dot_ndcg@10"], 1);
  assert.deepEqual(json.data, { beir, split: "test", title: true });
  assert.ok(existsSync(join(dir, "report.csv")));
});

test("NanoBEIR from the Hub: a column per dataset and NanoBEIR_mean, then offline from the cache", async () => {
  const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, "hf-cache") };
  const online = await splade(["eval", "--model", "bm25", "--nanobeir", "msmarco,nq", "--conventions", "trec"], env);
  assert.equal(online.code, 0, online.stderr);
  assert.match(online.stdout.split("\n")[0], /\| NanoMSMARCO \| +NanoNQ \| NanoBEIR_mean \|$/);
  assert.match(online.stdout, /\| dot_recall@1000 /);
  const offline = await splade(["eval", "--model", "bm25", "--nanobeir", "msmarco,nq", "--conventions", "trec"], { ...env, HF_HUB_OFFLINE: "1" });
  assert.equal(offline.code, 0, offline.stderr);
  assert.equal(offline.stdout, online.stdout);
  const missing = await splade(["eval", "--model", "bm25", "--nanobeir", "scifact"], { ...env, HF_HUB_OFFLINE: "1" });
  assert.equal(missing.code, 5);
  assert.match(missing.stderr, /OFFLINE/);
});

test("both fixture SPLADE models evaluate end to end", async () => {
  for (const model of ["test/fixtures/tiny-distilbert-splade", "test/fixtures/tiny-bert-splade"]) {
    const result = await splade(["eval", "--model", model, "--beir", beir, "--batch-size", "2", "--max-active-dims", "64"]);
    assert.equal(result.code, 0, result.stderr);
    const activeDims = /\| query_active_dims +\| +([0-9.]+) \|/.exec(result.stdout);
    assert.ok(activeDims !== null && Number(activeDims[1]) > 0 && Number(activeDims[1]) <= 64, result.stdout);
    assert.match(result.stdout, /\| dot_ndcg@10 +\| +[0-9.]+ \|/);
  }
});

test("usage errors exit with 2", async () => {
  const both = await splade(["eval", "--model", "bm25", "--beir", beir, "--nanobeir", "all"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /exactly one of --beir/);
  const unknown = await splade(["eval", "--model", "bm25", "--nanobeir", "msmarco,imagenet"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /imagenet/);
  const pruning = await splade(["eval", "--model", "bm25", "--beir", beir, "--max-active-dims", "4"]);
  assert.equal(pruning.code, 2);
  assert.match(pruning.stderr, /not to bm25/);
});

test("--approximate: the same table from the approximate search, recorded in the report; bad knobs are usage errors", async () => {
  const output = join(dir, "approximate.json");
  const result = await splade(["eval", "--model", "bm25", "--beir", beir, "--title", "--approximate", "queryTerms=4,heapFactor=0.9", "--output", output]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\| dot_ndcg@10 +\| +1 \|/);
  assert.deepEqual(JSON.parse(readFileSync(output, "utf8")).approximate, { queryTerms: 4, heapFactor: 0.9 });
  const defaults = await splade(["eval", "--model", "bm25", "--beir", beir, "--approximate"]);
  assert.equal(defaults.code, 0, defaults.stderr);
  assert.match(defaults.stdout, /\| dot_ndcg@10 +\| +1 \|/);
  const unknown = await splade(["eval", "--model", "bm25", "--beir", beir, "--approximate", "speed=11"]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /queryTerms, heapFactor, rescore, docTerms/);
  const invalid = await splade(["eval", "--model", "bm25", "--beir", beir, "--approximate", "heapFactor=-1"]);
  assert.notEqual(invalid.code, 0);
  assert.match(invalid.stderr, /heapFactor must be a positive number/);
});
