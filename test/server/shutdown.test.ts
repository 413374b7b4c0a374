/**
 * Graceful shutdown of `splade serve` (a real child process): on SIGTERM or SIGINT it stops accepting, lets
 * the requests in flight finish (a write among them is answered once durable), releases the index lock and
 * exits 0. With a shutdown bound too short for a write, the write is either completed (200, all of it on
 * disk) or rolled back (503, none of it), never in part, and the index still opens with its checksums.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { LOCK_FILE } from "../../src/index/index-lock.js";
import { buildIndex, tempDir } from "./helpers/indexes.js";
import { post } from "./helpers/http.js";
import { startServeChild } from "./helpers/child.js";

const bulk = (prefix: string, n: number, repeat = 30) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, text: `shutdownmarker ${prefix} document ${i} ${"words to make the write take a while ".repeat(repeat)}` }));

function liveIds(dir: string): Set<string> {
  const index = SparseIndex.openSync(dir, { verify: true });
  const ids = new Set<string>();
  for (let ordinal = 0; ordinal < index.segments.reduce((n, s) => n + s.segment.docCount, 0); ordinal++) ids.add(index.document(ordinal).id);
  const deleted = index.stats().deletedCount;
  assert.equal(deleted, 0);
  return ids;
}

/**
 * Waits until the server has received `count` requests (in flight or answered), read from /metrics: a request
 * whose connection the server has not accepted yet when the signal comes is refused, as it should be, and the
 * test is about the ones in flight. This /metrics request counts itself among those in flight.
 */
async function requestsReceived(url: string, count: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 5))) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const inFlight = Number(/^splade_http_requests_in_flight (\S+)$/m.exec(text)?.[1] ?? 0) - 1;
    const answered = [...text.matchAll(/^splade_http_requests_total\{method="POST",route="[^"]*",status="\d+"\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    if (inFlight + answered >= count) return;
  }
  throw new Error(`the server did not receive ${count} requests within 60 s`);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal}: in-flight searches and a write finish, the lock is released, exit code 0`, { timeout: 120_000 }, async (t) => {
    const dir = tempDir("splade-serve-");
    const index = await buildIndex(dir, "facts");
    const server = await startServeChild(["--index", index]);
    t.after(() => server.child.kill("SIGKILL"));
    const documents = bulk("w", 1000);
    const answered: Array<{ what: string; status: number; at: number }> = [];
    const track = (what: string, p: Promise<{ status: number }>) => p.then((r) => answered.push({ what, status: r.status, at: performance.now() }));
    const inFlight = [
      track("write", post(server.url, "/indexes/facts/documents", { documents })),
      ...Array.from({ length: 8 }, (_, i) => track(`search ${i}`, post(server.url, "/search", { query: `ocean tides ${i}`, k: 5 }))),
    ];
    await requestsReceived(server.url, inFlight.length);
    const signalledAt = performance.now();
    server.child.kill(signal);
    await Promise.all(inFlight);
    const { code } = await server.exited;
    assert.equal(code, 0, server.stderr());
    assert.match(server.stderr(), new RegExp(`${signal}, shutting down[\\s\\S]*stopped`));
    for (const a of answered) assert.equal(a.status, 200, `${a.what} answered 200`);
    const write = answered.find((a) => a.what === "write")!;
    assert.ok(write.at > signalledAt, "the write was still in flight when the signal came");
    assert.equal(existsSync(join(index, LOCK_FILE)), false, "lock released");
    const ids = liveIds(index);
    for (const d of documents) assert.ok(ids.has(d.id), "the acknowledged write is durable");
    await assert.rejects(fetch(server.url + "/health"), "nothing listens any more");
  });
}

test("a write that cannot finish within the shutdown bound is completed or rolled back, never half applied", { timeout: 180_000 }, async (t) => {
  const dir = tempDir("splade-serve-");
  const index = await buildIndex(dir, "facts");
  const outcomes: string[] = [];
  for (const [round, delayMs] of [0, 10, 25, 50, 100].entries()) {
    const server = await startServeChild(["--index", index, "--shutdown-timeout-ms", "1", "--quiet"]);
    t.after(() => server.child.kill("SIGKILL"));
    const documents = bulk(`r${round}-`, 1000, 3);
    const write = post(server.url, "/indexes/facts/documents", { documents }).catch(() => ({ status: -1, body: null }));
    await new Promise((r) => setTimeout(r, delayMs));
    server.child.kill("SIGTERM");
    const reply = await write;
    const { code } = await server.exited;
    assert.equal(code, 0, server.stderr());
    assert.equal(existsSync(join(index, LOCK_FILE)), false, "lock released");
    const ids = liveIds(index);
    const present = documents.filter((d) => ids.has(d.id)).length;
    if (reply.status === 200) assert.equal(present, documents.length, "acknowledged: all of it");
    else {
      assert.ok(reply.status === 503 || reply.status === -1, `refused or cut off, got ${reply.status}`);
      if (reply.status === 503) assert.equal((reply.body as { error: { code: string } }).error.code, "SHUTTING_DOWN");
      assert.ok(present === 0 || present === documents.length, `all or nothing (found ${present})`);
      if (reply.status === 503) assert.equal(present, 0, "a write answered 503 was not applied");
    }
    outcomes.push(`${delayMs} ms: ${reply.status} (${present} on disk)`);
  }
  t.diagnostic(outcomes.join("; "));
});
