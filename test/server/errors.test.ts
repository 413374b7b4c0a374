/**
 * Every class of bad request gets a 4xx with `{error: {code, message}}` whose message names the field and the
 * problem; never a 500, never a stack trace. Over real HTTP (fetch, and raw node:http for bodies a browser
 * would not send).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { buildIndex, tempDir } from "./helpers/indexes.js";
import { call, get, post, startServer, type Reply } from "./helpers/http.js";

function assertError(r: Reply, status: number, code: string, message: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(Object.keys(r.body), ["error"], r.text);
  assert.deepEqual(Object.keys(r.body.error).sort(), ["code", "message"]);
  assert.equal(r.body.error.code, code, r.text);
  assert.match(r.body.error.message, message);
  assert.doesNotMatch(r.text, /\n\s+at |\.ts:\d+|node_modules/, "no stack trace");
  assert.match(r.headers.get("content-type") ?? "", /application\/json/);
}

/** A raw request (body bytes and headers exactly as given). */
function raw(url: string, method: string, path: string, headers: Record<string, string | number>, chunks: Array<Uint8Array | string>): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: JSON.parse(text), text }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test("bad requests: each class answers 4xx naming the field and the problem", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], limits: { maxBodyBytes: 64 * 1024, maxK: 100, maxTexts: 4, maxQueries: 3, maxDocuments: 2 } });
  const json = { "content-type": "application/json" };

  assertError(await call(url, "POST", "/search", { body: '{"query": "x",', headers: json }), 400, "INVALID_JSON", /^body: not valid JSON \(/);
  assertError(await call(url, "POST", "/search", { body: "", headers: json }), 400, "INVALID_JSON", /^body: empty/);
  assertError(await call(url, "POST", "/search", { body: Uint8Array.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: json }), 400, "INVALID_JSON", /^body: not valid UTF-8 \(at byte 6\)/);
  assertError(await call(url, "POST", "/search", { body: '{"query": "x"}', headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE", /^Content-Type: text\/plain is not supported; send application\/json/);
  assertError(await call(url, "POST", "/search", { body: '{"query": "x"}' }), 415, "UNSUPPORTED_MEDIA_TYPE", /^Content-Type/);

  assertError(await post(url, "/search", { query: "x", k: 101 }), 400, "INVALID_REQUEST", /^k: too big: expected number to be <=100/);
  assertError(await post(url, "/search", { query: "x", k: 0 }), 400, "INVALID_REQUEST", /^k: too small/);
  assertError(await post(url, "/search", { query: "x", k: "ten" }), 400, "INVALID_REQUEST", /^k: expected number, received string/);
  assertError(await post(url, "/search", { query: "x", explian: true }), 400, "INVALID_REQUEST", /^body: unknown field "explian"/);
  assertError(await post(url, "/search", { k: 3 }), 400, "INVALID_REQUEST", /^body: give exactly one of query, vector or queries/);
  assertError(await post(url, "/search", { query: "" }), 400, "INVALID_REQUEST", /^query: too small/);
  assertError(await post(url, "/search", [1, 2]), 400, "INVALID_REQUEST", /^body: expected object, received array/);
  assertError(await post(url, "/search", { vector: { indices: [5, 3], values: [1, 1] } }), 400, "INVALID_REQUEST", /^vector\.indices\[1\]: term ids must be strictly ascending \(5 then 3\)/);
  assertError(await post(url, "/search", { vector: { indices: [5], values: [-1] } }), 400, "INVALID_REQUEST", /^vector\.values\[0\]: too small/);
  assertError(await post(url, "/search", { vector: { indices: [5, 6], values: [1] } }), 400, "INVALID_REQUEST", /^vector\.values: has 1 entries but indices has 2/);
  assertError(await post(url, "/search", { queries: [{ query: "a" }, { query: "b", vector: { indices: [], values: [] } }] }), 400, "INVALID_REQUEST", /^queries\[1\]: give exactly one of query or vector/);
  assertError(await post(url, "/search", { queries: [{ query: "a" }, { query: "b" }, { query: "c" }, { query: "d" }] }), 400, "INVALID_REQUEST", /^queries: too big: expected array to have <=3 items/);
  assertError(await post(url, "/search", { query: "x", fusion: "borda" }), 400, "INVALID_REQUEST", /^fusion: /);
  assertError(await post(url, "/search", { query: "x", indexes: ["facts", "nope"] }), 404, "NOT_FOUND", /^indexes\[1\]: no index named "nope" \(served: facts\)/);

  assertError(await post(url, "/encode", { task: "query" }), 400, "INVALID_REQUEST", /^texts: expected array, received undefined/);
  assertError(await post(url, "/encode", { texts: ["a", "b", "c", "d", "e"] }), 400, "INVALID_REQUEST", /^texts: too big: expected array to have <=4 items/);
  assertError(await post(url, "/encode", { texts: ["a", 7] }), 400, "INVALID_REQUEST", /^texts\[1\]: expected string, received number/);
  assertError(await post(url, "/encode", { texts: ["a"], task: "passage" }), 400, "INVALID_REQUEST", /^task: /);
  assertError(await post(url, "/encode", { texts: ["a"], index: "nope" }), 404, "NOT_FOUND", /^index: no index named "nope"/);

  assertError(await post(url, "/indexes/facts/documents", { documents: [{ id: "a", text: "x" }, { id: "b", text: "y" }, { id: "c", text: "z" }] }), 400, "INVALID_REQUEST", /^documents: too big: expected array to have <=2 items/);
  assertError(await post(url, "/indexes/facts/documents", { documents: [{ id: "a", text: "x" }, { id: "a", text: "y" }] }), 400, "INVALID_REQUEST", /^documents\[1\]\.id: duplicate id "a" in this request/);
  assertError(await post(url, "/indexes/facts/documents", { documents: [{ id: "", text: "x" }] }), 400, "INVALID_REQUEST", /^documents\[0\]\.id: too small/);
  assertError(await post(url, "/indexes/facts/documents", { documents: [{ id: "a" }] }), 400, "INVALID_REQUEST", /^documents\[0\]\.text: expected string, received undefined/);
  assertError(await post(url, "/indexes/facts/documents", { documents: [{ id: "a", text: "x", tilte: "T" }] }), 400, "INVALID_REQUEST", /^documents\[0\]: unknown field "tilte"/);
  assertError(await post(url, "/indexes/nope/documents", { documents: [{ id: "a", text: "x" }] }), 404, "NOT_FOUND", /^name: no index named "nope"/);
  assertError(await get(url, "/indexes/facts/documents/missing"), 404, "NOT_FOUND", /^id: no document "missing" in index facts/);
  assertError(await call(url, "DELETE", "/indexes/facts/documents/missing"), 404, "NOT_FOUND", /^id: no document "missing"/);
  assertError(await get(url, "/indexes/nope"), 404, "NOT_FOUND", /^name: no index named "nope"/);
  assertError(await get(url, "/nothing/here"), 404, "NOT_FOUND", /^no route GET \/nothing\/here; the API is described at GET \/openapi\.json/);
  assertError(await get(url, "/search"), 404, "NOT_FOUND", /^no route GET \/search/);
  assertError(await get(url, "/page/../../package.json"), 404, "NOT_FOUND", /no route|\/page/);

  const big = JSON.stringify({ query: "x".repeat(70 * 1024) });
  assertError(await raw(url, "POST", "/search", { "content-type": "application/json", "content-length": Buffer.byteLength(big) }, [big]), 413, "PAYLOAD_TOO_LARGE", /^request body is larger than the limit of 65536 bytes/);
  const chunked = await raw(url, "POST", "/search", { "content-type": "application/json", "transfer-encoding": "chunked" }, Array.from({ length: 10 }, () => "x".repeat(8 * 1024)));
  assertError(chunked, 413, "PAYLOAD_TOO_LARGE", /65536 bytes/);

  const health = await get(url, "/health");
  assert.equal(health.status, 200, "the server is unharmed");
  const metrics = await get(url, "/metrics");
  assert.doesNotMatch(metrics.text, /status="5\d\d"/, "no 5xx among the answers");
  assert.match(metrics.text, /splade_http_requests_total\{method="POST",route="\/search",status="400"\} \d+/);
});

test("a read-only server answers writes with 403 and leaves the index unlocked", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], readOnly: true });
  assertError(await post(url, "/indexes/facts/documents", { documents: [{ id: "a", text: "x" }] }), 403, "READ_ONLY", /^index facts is served read-only/);
  assertError(await call(url, "DELETE", "/indexes/facts/documents/d1"), 403, "READ_ONLY", /read-only/);
  assert.equal((await get(url, "/indexes/facts")).body.writable, false);
  const second = await startServer(t, { indexes: [bm25] });
  assert.equal((await post(second.url, "/indexes/facts/documents", { documents: [{ id: "a", text: "x" }] })).status, 200, "another server can write it");
});
