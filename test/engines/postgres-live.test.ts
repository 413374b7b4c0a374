/**
 * splade push / search against PostgreSQL with pgvector: PGlite (Postgres 18.6, pgvector 0.8.7) served over
 * the wire protocol (test/helpers/pglite-server.ts) for `pg` and --url, and a PGlite instance given to the
 * library directly. One of each per file: opening PGlite takes seconds.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector as pgvector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import { splade } from "../helpers/cli.js";
import { startPgliteServer, type PgliteServer } from "../helpers/pglite-server.js";
import { startPostgresAuthGateway } from "../helpers/postgres-auth-gateway.js";
import { freePort } from "../helpers/free-port.js";
import { CORPUS, QUERIES, parseJsonRun, writeSmallCorpus } from "./small-corpus.js";
import { createEncoder, fromSparsevecLiteral, indexSource, pushToTarget, PostgresTarget, searchEngineTarget, searchIndexes, SparseIndex, toSparsevecLiteral } from "../../src/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const MODEL = "test/fixtures/tiny-bert-splade";
let server: PgliteServer;
let embedded: PGlite;
let dir: string;
let files: { corpus: string; queries: string };
let bm25Index: string;

const checkpointOf = (name: string) => join(dir, `${name}.checkpoint.json`);
const push = (args: string[], name: string) => splade(["push", "--engine", "postgres", "--target", name, "--checkpoint", checkpointOf(name), ...args]);

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Same ids in the same order; scores equal to float32 precision (pgvector sums in float32). */
function assertSameRuns(actual: ReturnType<typeof parseJsonRun>, expected: ReturnType<typeof parseJsonRun>) {
  assert.deepEqual(actual.map(([q, hits]) => [q, hits.map(([id]) => id)]), expected.map(([q, hits]) => [q, hits.map(([id]) => id)]));
  actual.forEach(([, hits], i) => hits.forEach(([, score], r) => assert.ok(Math.abs(score - expected[i][1][r][1]) <= 1e-6 * expected[i][1][r][1], `${score} vs ${expected[i][1][r][1]}`)));
}

before(async () => {
  dir = tempDir("splade-postgres-test-");
  files = writeSmallCorpus(dir);
  bm25Index = join(dir, "bm25");
  const [started, db, built] = await Promise.all([
    startPgliteServer(),
    PGlite.create({ extensions: { vector: pgvector } }),
    splade(["index", "build", "--model", "bm25", "--corpus", files.corpus, "--title", "--out", bm25Index]),
  ]);
  server = started;
  embedded = db;
  assert.equal(built.code, 0, built.stderr);
});

after(async () => {
  await server?.stop();
  await embedded?.close();
});

test("library: a PGlite instance given directly; sparsevec literals survive the database; results equal the local index", async () => {
  await embedded.exec("CREATE EXTENSION IF NOT EXISTS vector");
  const v = { indices: Uint32Array.of(0, 1012, 30521), values: Float32Array.of(0.1, 3.4028234663852886e38, Math.fround(1 / 3)) };
  const literal = toSparsevecLiteral(v, 30522);
  const [row] = (await embedded.query<{ text: string }>("SELECT $1::sparsevec::text AS text", [literal])).rows;
  assert.deepEqual(fromSparsevecLiteral(row.text).vector, v);

  const index = await SparseIndex.open(bm25Index);
  const encoder = await createEncoder("bm25");
  const target = await PostgresTarget.open({ client: embedded, table: "embedded_bm25" });
  const report = await pushToTarget(target, indexSource(bm25Index, index, encoder), { create: true, checkpoint: null, batchSize: 10 });
  assert.deepEqual([report.sent, report.acknowledged, report.failedCount, report.batches, report.created], [45, 45, 0, 5, true]);
  assert.deepEqual((await target.readMeta())?.model, { kind: "bm25", vocab: "bert-base-uncased", k1: 0.9, b: 0.4 });
  const [comment] = (await embedded.query<{ c: string }>("SELECT obj_description('embedded_bm25'::regclass) AS c")).rows;
  assert.match(comment.c, /splade-ts target: \{"kind":"bm25"/);
  const queries = QUERIES.map((q) => ({ id: q._id, text: q.text }));
  const remote = await searchEngineTarget(target, queries, { k: 5 });
  const local = await searchIndexes([bm25Index], queries, { k: 5 });
  assert.deepEqual(remote.map((r) => [r.queryId, r.hits.map((h) => h.id)]), local.map((r) => [r.queryId, r.hits.map((h) => h.id)]));
  assert.deepEqual(remote[1].hits[0].payload, { title: "Vitamin D", text: CORPUS[1].text });
  assert.deepEqual(remote[5].hits, [], "a query matching nothing returns nothing (no zero-score rows)");
  await target.close();
  await encoder.release();
});

test("CLI over the wire protocol: push --create (BM25 index, SPLADE corpus), search equal to the local index", async () => {
  const pushed = await push(["--index", bm25Index, "--url", server.url, "--create", "--batch-size", "20"], "bm25");
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stderr, /created PostgreSQL table "bm25" at postgres:\/\/127\.0\.0\.1:\d+\/postgres: sent 45, acknowledged 45, refused 0; 3 batches/);
  assert.equal(existsSync(checkpointOf("bm25")), false);
  const columns = await sql<{ attname: string; type: string }>("SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'bm25'::regclass AND attnum > 0 ORDER BY attnum");
  assert.deepEqual(columns.map((c) => [c.attname, c.type]), [["id", "text"], ["ordinal", "bigint"], ["vector", "sparsevec(30522)"], ["payload", "jsonb"]]);
  const local = await splade(["search", "--index", bm25Index, "--queries", files.queries, "--json", "-k", "5"]);
  const remote = await splade(["search", "--engine", "postgres", "--url", server.url, "--target", "bm25", "--queries", files.queries, "--json", "-k", "5"]);
  assert.equal(remote.code, 0, remote.stderr);
  assertSameRuns(parseJsonRun(remote.stdout), parseJsonRun(local.stdout));
  const text = await splade(["search", "--engine", "postgres", "--url", server.url, "--target", "bm25", "--query", "vitamin D deficiency"]);
  assert.match(text.stdout, /1\. vitd\s+\d+\.\d{4}\s+Vitamin D/);

  // A SPLADE target from --corpus with the fixture model: the model is recorded and used for queries.
  assert.equal((await push(["--corpus", files.corpus, "--model", MODEL, "--url", server.url, "--create"], "splade")).code, 0);
  const spladeIndex = join(dir, "splade-index");
  assert.equal((await splade(["index", "build", "--model", MODEL, "--corpus", files.corpus, "--out", spladeIndex])).code, 0);
  const localSplade = await splade(["search", "--index", spladeIndex, "--queries", files.queries, "--json", "-k", "10"]);
  const remoteSplade = await splade(["search", "--engine", "postgres", "--url", server.url, "--target", "splade", "--queries", files.queries, "--json", "-k", "10"]);
  assert.equal(remoteSplade.code, 0, remoteSplade.stderr);
  assertSameRuns(parseJsonRun(remoteSplade.stdout), parseJsonRun(localSplade.stdout));
});

test("a push killed mid-way and re-run ends with exactly the corpus (no duplicate, no gap)", async () => {
  const big = join(dir, "big.jsonl");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(big, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ _id: `d${i}`, title: "", text: `document ${i} about ${["cats", "trains", "tides", "music"][i % 4]} number ${i % 97}` })).join("\n") + "\n");
  const args = ["push", "--engine", "postgres", "--url", server.url, "--target", "resume", "--checkpoint", checkpointOf("resume"), "--corpus", big, "--model", "bm25", "--batch-size", "5", "--create"];
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts", ...args], { stdio: "ignore" });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  let done = 0;
  while (done < 500) {
    await new Promise((r) => setTimeout(r, 10));
    try {
      done = JSON.parse(readFileSync(checkpointOf("resume"), "utf8")).done;
    } catch {
      // not written yet, or being replaced
    }
  }
  child.kill("SIGKILL");
  assert.equal(await exited, "SIGKILL", "killed before it finished");
  const [{ n: before }] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM resume");
  assert.ok(before >= 500 && before < 3000, `${before} rows after the kill`);
  const rerun = await splade(args);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /acknowledged 3000, refused 0 \(resumed after \d+ documents\)/);
  const rows = await sql<{ n: number; distinct_ids: number; first: string; last: string }>("SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM resume");
  assert.deepEqual([rows[0].n, rows[0].distinct_ids], [3000, 3000]);
  const ids = (await sql<{ id: string }>("SELECT id FROM resume ORDER BY ordinal")).map((r) => r.id);
  assert.deepEqual(ids, Array.from({ length: 3000 }, (_, i) => `d${i}`));
});

test("errors: unreachable, not PostgreSQL, authentication, mapping conflicts, missing target, another model", async () => {
  const unreachable = await push(["--index", bm25Index, "--url", `postgres://u:p@127.0.0.1:${await freePort()}/db`, "--create", "--retries", "1"], "x1");
  assert.equal(unreachable.code, 5);
  assert.match(unreachable.stderr, /NETWORK.*connecting \(PostgreSQL table "x1" at postgres:\/\/127\.0\.0\.1:\d+\/db\).*ECONNREFUSED.*gave up after 2 attempts/);
  assert.doesNotMatch(unreachable.stderr, /u:p@/, "no credentials in messages");

  const web = createServer((_req, res) => res.writeHead(400).end("bad request"));
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  try {
    const wrong = await push(["--index", bm25Index, "--url", `postgres://u@127.0.0.1:${(web.address() as { port: number }).port}/db`, "--create", "--retries", "1"], "x2");
    assert.equal(wrong.code, 5, wrong.stderr);
    assert.match(wrong.stderr, /NETWORK.*connecting \(PostgreSQL table "x2"/);
  } finally {
    web.close();
  }
  assert.equal((await push(["--index", bm25Index, "--url", "http://127.0.0.1:9200", "--create"], "x3")).code, 2);

  const gate = await startPostgresAuthGateway(server.port, "secret");
  try {
    const denied = await push(["--index", bm25Index, "--url", `postgres://admin:wrong@127.0.0.1:${gate.port}/postgres`, "--create"], "authed");
    assert.equal(denied.code, 5, denied.stderr);
    assert.match(denied.stderr, /NETWORK.*authentication failed at PostgreSQL table "authed" at postgres:\/\/127\.0\.0\.1:\d+\/postgres \(28P01: password authentication failed for user "admin"\): check the user and password in --url/);
    assert.doesNotMatch(denied.stderr, /wrong/, "no password in messages");
    assert.deepEqual(await sql("SELECT to_regclass('authed') AS t"), [{ t: null }], "nothing created");
    const allowed = await push(["--index", bm25Index, "--url", `postgres://admin:secret@127.0.0.1:${gate.port}/postgres`, "--create"], "authed");
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /acknowledged 45, refused 0/);
  } finally {
    await gate.close();
  }

  await sql("CREATE TABLE dense (id text PRIMARY KEY, vector vector(3))");
  const conflict = await push(["--index", bm25Index, "--url", server.url, "--create"], "dense");
  assert.equal(conflict.code, 3);
  assert.match(conflict.stderr, /mapping conflict: PostgreSQL table "dense" .* has a vector\(3\) column "vector"/);
  await sql("CREATE TABLE foreign_sparse (id text PRIMARY KEY, vector sparsevec(30522))");
  const foreign = await push(["--index", bm25Index, "--url", server.url, "--create"], "foreign_sparse");
  assert.equal(foreign.code, 3);
  assert.match(foreign.stderr, /was not created by splade-ts/);
  const [{ n: dense }] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM dense");
  assert.equal(dense, 0, "nothing written into a conflicting table");

  const missing = await push(["--index", bm25Index, "--url", server.url], "absent");
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /does not exist; pass --create/);
  assert.deepEqual(await sql("SELECT to_regclass('absent') AS t"), [{ t: null }], "nothing created without --create");
  const otherModel = await push(["--corpus", files.corpus, "--model", MODEL, "--url", server.url], "bm25");
  assert.equal(otherModel.code, 3);
  assert.match(otherModel.stderr, /holds vectors of model/);
  assert.equal((await push(["--index", bm25Index, "--url", server.url, "--create"], "bad-name")).code, 2);
});
