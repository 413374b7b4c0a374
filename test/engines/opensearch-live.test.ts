/**
 * splade push / search against a real OpenSearch 2.19 node (test/helpers/opensearch-node.ts; one per npm test run):
 * the rank_features facts the feature-key rule relies on, push (index, corpus, encoded shards) and search
 * equal to the local index, a push killed mid-way and resumed, retries of 429/5xx through a fault-injecting
 * proxy, and the errors a user meets (unreachable, wrong URL, authentication, mapping conflicts).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { splade } from "../helpers/cli.js";
import { startOpenSearchNode, type OpenSearchNode } from "../helpers/opensearch-node.js";
import { startHttpProxy, type ProxyDecision } from "../helpers/http-proxy.js";
import { freePort } from "../helpers/free-port.js";
import { CORPUS, parseJsonRun, writeSmallCorpus } from "./small-corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

const MODEL = "test/fixtures/tiny-bert-splade";
let node: OpenSearchNode;
let dir: string;
let files: { corpus: string; queries: string };
let bm25Index: string;

async function os(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${node.url}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

async function idsIn(index: string): Promise<string[]> {
  await os("POST", `/${index}/_refresh`);
  const r = await os("POST", `/${index}/_search`, { size: 10000, _source: false, query: { match_all: {} } });
  return r.body.hits.hits.map((h: { _id: string }) => h._id).sort();
}

const checkpointOf = (name: string) => join(dir, `${name}.checkpoint.json`);
const push = (args: string[], name: string) => splade(["push", "--engine", "opensearch", "--target", name, "--checkpoint", checkpointOf(name), ...args]);

before(async () => {
  dir = tempDir("splade-opensearch-test-");
  files = writeSmallCorpus(dir);
  bm25Index = join(dir, "bm25");
  const [started, built] = await Promise.all([startOpenSearchNode(), splade(["index", "build", "--model", "bm25", "--corpus", files.corpus, "--title", "--out", bm25Index])]);
  node = started;
  assert.equal(built.code, 0, built.stderr);
});

after(async () => {
  await node?.stop();
});

test("the node's rank_features facts behind the feature-key rule: dotted keys index but never match", async () => {
  assert.equal((await os("PUT", "/probe", { mappings: { properties: { vector: { type: "rank_features" } } } })).status, 200);
  for (const [id, features] of [["dot", { ".": 1.5 }], ["escaped", { "%2E": 1.5 }], ["dotted", { "a.b": 2 }], ["empty", { "": 2 }]] as const) {
    const r = await os("PUT", `/probe/_doc/${id}?refresh=true`, { vector: features });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const matches = async (key: string) => (await os("POST", "/probe/_search", { query: { rank_feature: { field: `vector.${key}`, linear: {} } } })).body.hits.hits.map((h: { _id: string }) => h._id);
  assert.deepEqual(await matches("."), [], "a key with a dot is split at its last dot: no field, no match");
  assert.deepEqual(await matches("a.b"), []);
  assert.deepEqual(await matches("%2E"), ["escaped"]);
  assert.deepEqual(await matches(""), ["empty"]);
  for (const weight of [0, -1, 1e-40]) {
    const r = await os("POST", "/probe/_doc", { vector: { x: weight } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /positive normal float/);
  }
  const stored = await os("POST", "/probe/_search", { query: { rank_feature: { field: "vector.%2E", linear: {} } } });
  assert.equal(stored.body.hits.hits[0]._score, 1.5);
});

test("push an index with --create, then search it like the local index (--json, --trec, text); the model is recorded", async () => {
  const pushed = await push(["--index", bm25Index, "--url", node.url, "--create", "--batch-size", "7"], "bm25");
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stderr, /created OpenSearch index "bm25" at http:\/\/127\.0\.0\.1:\d+: sent 45, acknowledged 45, refused 0; 7 batches/);
  assert.equal(existsSync(checkpointOf("bm25")), false, "the checkpoint is removed when the push completes");
  const mapping = await os("GET", "/bm25/_mapping");
  assert.deepEqual(mapping.body.bm25.mappings._meta.splade_ts.model, { kind: "bm25", vocab: "bert-base-uncased", k1: 0.9, b: 0.4 });
  assert.equal(mapping.body.bm25.mappings.properties.vector.type, "rank_features");
  assert.deepEqual(await idsIn("bm25"), CORPUS.map((d) => d._id).sort());

  const local = await splade(["search", "--index", bm25Index, "--queries", files.queries, "--json", "-k", "5"]);
  const remote = await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "bm25", "--queries", files.queries, "--json", "-k", "5"]);
  assert.equal(remote.code, 0, remote.stderr);
  assert.deepEqual(parseJsonRun(remote.stdout), parseJsonRun(local.stdout), "exact rescoring: the same ids and scores as the local index");
  const raw = parseJsonRun((await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "bm25", "--queries", files.queries, "--json", "-k", "5", "--rescore", "none"])).stdout);
  parseJsonRun(local.stdout).forEach(([qid, hits], i) => {
    assert.equal(raw[i][0], qid);
    raw[i][1].forEach(([, score], r) => assert.ok(score <= hits[r][1] + 1e-6 && score >= hits[r][1] * (1 - 2 ** -8) - 1e-6, "engine scores lose < 2^-8"));
  });
  const trec = await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "bm25", "--queries", files.queries, "--trec", "-k", "2"]);
  assert.match(trec.stdout.split("\n")[0], /^q1 Q0 tides 1 \d+\.\d+ splade$/);
  const text = await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "bm25", "--query", "volcano magma"]);
  assert.match(text.stdout, /1\. volcano\s+\d+\.\d{4}\s+Volcanoes/);

  const fromCorpus = await push(["--corpus", files.corpus, "--model", "bm25", "--title", "--url", node.url, "--create"], "bm25-corpus");
  assert.equal(fromCorpus.code, 0, fromCorpus.stderr);
  const corpusRun = await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "bm25-corpus", "--queries", files.queries, "--json", "-k", "5"]);
  assert.deepEqual(parseJsonRun(corpusRun.stdout), parseJsonRun(local.stdout), "BM25 statistics from the corpus pass equal the one-segment index's");
});

test("encode --shard i/n: disjoint shares that concatenate to the whole, pushed independently into one target", async () => {
  const whole = join(dir, "whole.jsonl");
  assert.equal((await splade(["encode", "--model", MODEL, "--input", files.corpus, "--task", "document", "--output", whole])).code, 0);
  const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}.jsonl`));
  for (const [i, shard] of shards.entries()) {
    const r = await splade(["encode", "--model", MODEL, "--input", files.corpus, "--task", "document", "--output", shard, "--shard", `${i + 1}/3`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /encoded 15 texts/);
  }
  assert.equal(shards.map((s) => readFileSync(s, "utf8")).join(""), readFileSync(whole, "utf8"));
  assert.equal((await splade(["encode", "--model", MODEL, "--input", files.corpus, "--output", join(dir, "x.jsonl"), "--shard", "4/3"])).code, 2);

  for (const [i, shard] of shards.entries()) {
    const r = await push(["--vectors", shard, "--model", MODEL, "--url", node.url, ...(i === 0 ? ["--create"] : [])], "splade-shards");
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(await idsIn("splade-shards"), CORPUS.map((d) => d._id).sort());
  const spladeIndex = join(dir, "splade-index");
  assert.equal((await splade(["index", "build", "--model", MODEL, "--corpus", files.corpus, "--out", spladeIndex])).code, 0);
  const local = await splade(["search", "--index", spladeIndex, "--queries", files.queries, "--json", "-k", "10"]);
  const remote = await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "splade-shards", "--queries", files.queries, "--json", "-k", "10"]);
  assert.equal(remote.code, 0, remote.stderr);
  assert.deepEqual(parseJsonRun(remote.stdout).map(([q, h]) => [q, h.map(([id, s]) => [id, Math.fround(s)])]), parseJsonRun(local.stdout).map(([q, h]) => [q, h.map(([id, s]) => [id, Math.fround(s)])]));
});

test("a push killed mid-way (an applied batch never acknowledged) and re-run ends with exactly the corpus", async () => {
  let bulks = 0;
  let mode: "stall" | "pass" = "stall";
  let stalled!: () => void;
  const stalledNow = new Promise<void>((resolve) => (stalled = resolve));
  const proxy = await startHttpProxy(node.url, (req): ProxyDecision => {
    if (mode === "stall" && req.path.startsWith("/_bulk") && ++bulks > 3) {
      stalled();
      return { action: "forward-then-hold" };
    }
    return { action: "forward" };
  });
  try {
    const args = ["push", "--engine", "opensearch", "--url", proxy.url, "--target", "resume", "--checkpoint", checkpointOf("resume"), "--index", bm25Index, "--batch-size", "5", "--create"];
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts", ...args], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await stalledNow;
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    const checkpoint = JSON.parse(readFileSync(checkpointOf("resume"), "utf8"));
    assert.equal(checkpoint.done, 15, "three acknowledged batches of 5");
    assert.equal((await idsIn("resume")).length, 20, "the fourth batch reached the engine without its acknowledgement");

    mode = "pass";
    const rerun = await splade(args);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /pushed into OpenSearch index "resume".*: sent 30, acknowledged 45, refused 0 \(resumed after 15 documents\)/);
    assert.deepEqual(await idsIn("resume"), CORPUS.map((d) => d._id).sort(), "no duplicate, no gap");
    assert.equal((await os("GET", "/resume/_count")).body.count, 45);
  } finally {
    await proxy.close();
  }
});

test("429 and 5xx answers are retried with backoff; a push that cannot finish says what it created and how to resume", async () => {
  const statuses = [429, 429, 503];
  const proxy = await startHttpProxy(node.url, (req): ProxyDecision => {
    if (req.path.startsWith("/_bulk") && statuses.length > 0) return { action: "respond", status: statuses.shift()! };
    return { action: "forward" };
  });
  try {
    const r = await push(["--index", bm25Index, "--url", proxy.url, "--create"], "retried");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /acknowledged 45, refused 0; 1 batches, 3 retries/);
    assert.equal((await os("GET", "/retried/_count")).body.count, 45);
  } finally {
    await proxy.close();
  }
  const failing = await startHttpProxy(node.url, (req): ProxyDecision => (req.path.startsWith("/_bulk") ? { action: "respond", status: 503 } : { action: "forward" }));
  try {
    const r = await push(["--index", bm25Index, "--url", failing.url, "--create", "--retries", "2"], "never");
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /NETWORK.*HTTP 503.*gave up after 3 attempts.*OpenSearch index "never" at .* was created by this run; 0 document\(s\) acknowledged, 0 refused so far; re-run the same command to resume/);
  } finally {
    await failing.close();
  }
});

test("errors: unreachable, not OpenSearch, authentication, mapping conflicts, missing target, another model", async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const unreachable = await push(["--index", bm25Index, "--url", nobody, "--create", "--retries", "1"], "x1");
  assert.equal(unreachable.code, 5);
  assert.match(unreachable.stderr, /NETWORK.*connecting to http:\/\/127\.0\.0\.1:\d+: cannot reach it \(ECONNREFUSED\)/);

  const web = createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>not here</h1>"));
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  try {
    const wrong = await push(["--index", bm25Index, "--url", `http://127.0.0.1:${(web.address() as { port: number }).port}`, "--create"], "x2");
    assert.equal(wrong.code, 5);
    assert.match(wrong.stderr, /is not an OpenSearch node \(GET \/ answered HTTP 404\); check --url/);
  } finally {
    web.close();
  }
  const badUrl = await push(["--index", bm25Index, "--url", "not a url", "--create"], "x3");
  assert.equal(badUrl.code, 2);

  const gateway = await startHttpProxy(node.url, (req): ProxyDecision =>
    req.headers.authorization === `Basic ${Buffer.from("admin:secret").toString("base64")}` ? { action: "forward" } : { action: "respond", status: 401, body: "Unauthorized" });
  try {
    const port = new URL(gateway.url).port;
    const denied = await push(["--index", bm25Index, "--url", `http://admin:wrong@127.0.0.1:${port}`, "--create"], "authed");
    assert.equal(denied.code, 5);
    assert.match(denied.stderr, /authentication failed \(HTTP 401\) at http:\/\/127\.0\.0\.1:\d+: check the user and password/);
    assert.doesNotMatch(denied.stderr, /wrong/, "no password in messages");
    assert.equal((await os("HEAD", "/authed").catch(() => ({ status: 404 }))).status, 404, "nothing created");
    const allowed = await push(["--index", bm25Index, "--url", `http://admin:secret@127.0.0.1:${port}`, "--create"], "authed");
    assert.equal(allowed.code, 0, allowed.stderr);
  } finally {
    await gateway.close();
  }

  await os("PUT", "/keyword-vector", { mappings: { properties: { vector: { type: "keyword" } } } });
  const conflict = await push(["--index", bm25Index, "--url", node.url, "--create"], "keyword-vector");
  assert.equal(conflict.code, 3);
  assert.match(conflict.stderr, /CONFLICT.*mapping conflict: OpenSearch index "keyword-vector" .* has a keyword field "vector"/);
  await os("PUT", "/foreign", { mappings: { properties: { vector: { type: "rank_features" } } } });
  const foreign = await push(["--index", bm25Index, "--url", node.url], "foreign");
  assert.equal(foreign.code, 3);
  assert.match(foreign.stderr, /was not created by splade-ts/);

  const missing = await push(["--index", bm25Index, "--url", node.url], "absent");
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /does not exist; pass --create/);
  const searchMissing = await splade(["search", "--engine", "opensearch", "--url", node.url, "--target", "absent", "--query", "x"]);
  assert.equal(searchMissing.code, 4);

  const otherModel = await push(["--corpus", files.corpus, "--model", MODEL, "--url", node.url], "bm25");
  assert.equal(otherModel.code, 3);
  assert.match(otherModel.stderr, /holds vectors of model \{"kind":"bm25".*push into another target/);

  const badName = await push(["--index", bm25Index, "--url", node.url, "--create"], "Upper");
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /not a valid OpenSearch index name/);
  writeFileSync(join(dir, "unused"), "");
});
