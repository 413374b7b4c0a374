/** The library entry: createServer from the package's public API, embedded without its own listener. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createServer } from "../../src/index.js";
import { buildIndex, tempDir } from "./helpers/indexes.js";

test("createServer's app mounts inside an existing Hono app; close() releases the index", async () => {
  const dir = tempDir("splade-serve-");
  const index = await buildIndex(dir, "facts");
  const server = await createServer({ indexes: [{ name: "kb", dir: index }] });
  const outer = new Hono();
  outer.get("/", (c) => c.text("the host application"));
  outer.route("/search-api", server.app);
  const health = await outer.request("/search-api/health");
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "ok", indexes: [{ name: "kb", documents: 12, generation: 1 }] });
  const hits = await outer.request("/search-api/search", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "moon tides", k: 2 }) });
  assert.equal(hits.status, 200);
  assert.equal(((await hits.json()) as { hits: Array<{ id: string }> }).hits[0].id, "d1");
  const direct = await server.fetch(new Request("http://embedded/indexes/kb/documents/d3"));
  assert.equal(((await direct.json()) as { title: string }).title, "Volcanoes");
  assert.equal(await (await outer.request("/")).text(), "the host application");
  await server.close();
  const again = await createServer({ indexes: [index] });
  assert.deepEqual(again.indexes.map((i) => [i.name, i.writable]), [["facts", true]], "the lock was released");
  await again.close();
});
