/** API keys over real HTTP: writes need the key; with protectReads, reads too; /health and the page stay open. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildIndex, tempDir } from "./helpers/indexes.js";
import { call, get, post, startServer } from "./helpers/http.js";

const KEY = "s3cret-key-ü";
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

test("with an API key, writes need it and reads do not", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], apiKey: KEY });
  const doc = { documents: [{ id: "k1", text: "keyed write" }] };
  const missing = await post(url, "/indexes/facts/documents", doc);
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error.code, "UNAUTHORIZED");
  assert.match(missing.body.error.message, /^Authorization: missing; send Authorization: Bearer <api key>/);
  assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="splade"');
  const wrong = await post(url, "/indexes/facts/documents", doc, bearer("nope"));
  assert.equal(wrong.status, 401);
  assert.match(wrong.body.error.message, /^Authorization: the API key is not valid/);
  const basic = await post(url, "/indexes/facts/documents", doc, { authorization: "Basic czNjcmV0" });
  assert.equal(basic.status, 401);
  assert.match(basic.body.error.message, /Bearer scheme/);
  assert.equal((await call(url, "DELETE", "/indexes/facts/documents/d1")).status, 401);
  assert.equal((await get(url, "/indexes/facts/documents/k1")).status, 404, "the refused write was not applied");
  const ok = await post(url, "/indexes/facts/documents", doc, bearer(KEY));
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await call(url, "DELETE", "/indexes/facts/documents/k1", { headers: bearer(KEY) })).status, 200);
  for (const path of ["/health", "/indexes", "/metrics", "/openapi.json", "/"]) assert.equal((await get(url, path)).status, 200, path);
  assert.equal((await post(url, "/search", { query: "tides" })).status, 200);
  assert.equal((await post(url, "/encode", { texts: ["tides"] })).status, 200);
});

test("with protectReads, reads need the key too; /health, /openapi.json and the page's files do not", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], apiKey: KEY, protectReads: true });
  const reads = [
    () => post(url, "/search", { query: "tides" }),
    () => post(url, "/encode", { texts: ["tides"] }),
    () => get(url, "/indexes"),
    () => get(url, "/indexes/facts"),
    () => get(url, "/indexes/facts/documents/d1"),
    () => get(url, "/metrics"),
  ];
  for (const read of reads) {
    const r = await read();
    assert.equal(r.status, 401, r.text);
    assert.equal(r.body.error.code, "UNAUTHORIZED");
  }
  assert.equal((await post(url, "/search", { query: "tides" }, bearer(KEY))).status, 200);
  assert.equal((await get(url, "/indexes/facts/documents/d1", bearer(KEY))).status, 200);
  assert.equal((await get(url, "/metrics", bearer(KEY))).status, 200);
  for (const path of ["/health", "/openapi.json", "/", "/page/app.js", "/page/style.css"]) assert.equal((await get(url, path)).status, 200, path);
  const openapi = (await get(url, "/openapi.json")).body;
  assert.deepEqual(openapi.paths["/search"].post.security, [{ bearer: [] }]);
  assert.equal(openapi.paths["/health"].get.security, undefined);
});
