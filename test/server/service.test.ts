/**
 * /health, /indexes, /metrics (Prometheus text through prom-client) and /openapi.json (generated from the
 * schemas the server validates with, so the limits in force show up in it), and the page's files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { buildIndex, tempDir, SPLADE_MODEL } from "./helpers/indexes.js";
import { call, get, post, startServer } from "./helpers/http.js";

test("health, indexes and metrics report what is served and what happened", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const splade = await buildIndex(dir, "neural", SPLADE_MODEL);
  const { url } = await startServer(t, { indexes: [bm25, { name: "tiny", dir: splade }], threads: 1 });
  const health = await get(url, "/health");
  assert.deepEqual(health.body, { status: "ok", indexes: [{ name: "facts", documents: 12, generation: 1 }, { name: "tiny", documents: 12, generation: 1 }] });
  const indexes = await get(url, "/indexes");
  assert.deepEqual(indexes.body.indexes.map((i: { name: string; model: unknown; writable: boolean }) => [i.name, i.model, i.writable]), [
    ["facts", { kind: "bm25", name: "bm25" }, true],
    ["tiny", { kind: "splade", name: resolve(SPLADE_MODEL) }, true],
  ]);
  await post(url, "/search", { query: "tides", indexes: ["tiny"] });
  await post(url, "/search", { query: "tides", indexes: ["facts"] });
  await post(url, "/search", { query: "tides", k: 0 });
  await post(url, "/indexes/facts/documents", { documents: [{ id: "m1", text: "metric write" }] });
  await get(url, "/indexes/facts/documents/m1");
  const metrics = await get(url, "/metrics");
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = metrics.text;
  for (const line of [
    /^splade_http_requests_total\{method="POST",route="\/search",status="200"\} 2$/m,
    /^splade_http_requests_total\{method="POST",route="\/search",status="400"\} 1$/m,
    /^splade_http_requests_total\{method="GET",route="\/indexes\/:name\/documents\/:id",status="200"\} 1$/m,
    /^splade_http_request_duration_seconds_count\{method="POST",route="\/search"\} 3$/m,
    /^splade_index_documents\{index="facts"\} 13$/m,
    /^splade_index_documents\{index="tiny"\} 12$/m,
    /^splade_index_generation\{index="facts"\} 2$/m,
    // An index records a local model folder by its absolute path.
    new RegExp(`^splade_encode_duration_seconds_count\\{model="${resolve(SPLADE_MODEL).replace(/[/.]/g, "\\$&")}",task="query"\\} 1$`, "m"),
    /^splade_encode_duration_seconds_count\{model="bm25",task="document"\} 1$/m,
    /^splade_search_duration_seconds_count\{index="facts"\} 1$/m,
    /^splade_search_duration_seconds_count\{index="tiny"\} 1$/m,
    /^splade_commit_duration_seconds_count\{index="facts",kind="add"\} 1$/m,
    /^process_resident_memory_bytes \d+/m,
  ]) {
    assert.match(text, line);
  }
});

test("/openapi.json is generated from the request schemas, with the limits in force", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], limits: { maxK: 77, maxTexts: 9 } });
  const doc = (await get(url, "/openapi.json")).body;
  assert.equal(doc.openapi, "3.0.3");
  assert.deepEqual(Object.keys(doc.paths).sort(), ["/encode", "/health", "/indexes", "/indexes/{name}", "/indexes/{name}/documents", "/indexes/{name}/documents/{id}", "/metrics", "/openapi.json", "/search"]);
  assert.deepEqual(Object.keys(doc.paths["/indexes/{name}/documents/{id}"]).sort(), ["delete", "get"]);
  const search = doc.components.schemas.SearchRequest;
  assert.equal(search.properties.k.maximum, 77, "the configured limit, not a hand-written number");
  assert.equal(search.additionalProperties, false);
  assert.equal(doc.components.schemas.EncodeRequest.properties.texts.maxItems, 9);
  assert.ok(doc.paths["/search"].post.responses["400"]);
  assert.ok(doc.components.schemas.TermContribution.properties.contribution);
  // The document describes what the server enforces: a request the schema forbids is refused.
  const r = await post(url, "/search", { query: "tides", k: 78 });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /<=77/);
});

test("the search page and its ES modules are served with their types; nothing else under /page", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25] });
  const page = await call(url, "GET", "/");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /^text\/html/);
  assert.match(page.text, /<script type="module" src="\/page\/app\.js">/);
  for (const [file, type] of [["app.js", /^text\/javascript/], ["bars.js", /^text\/javascript/], ["api.js", /^text\/javascript/], ["style.css", /^text\/css/]] as const) {
    const r = await call(url, "GET", `/page/${file}`);
    assert.equal(r.status, 200, file);
    assert.match(r.headers.get("content-type")!, type);
  }
  assert.equal((await call(url, "GET", "/page/missing.js")).status, 404);
  assert.equal((await call(url, "GET", "/page/%2e%2e%2fpackage.json")).status, 404);
});
