/**
 * Document writes over real HTTP: answered once durable (the index on disk, reopened by another reader, holds
 * them when the answer arrives), visible to search exactly from the generation they were committed in and
 * never in part, read back and deleted by id; concurrent writes are committed in groups and small segments
 * are merged, with nothing lost.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { segmentDocId } from "../../src/index/segment.js";
import { isDeleted } from "../../src/index/segment-query.js";
import { buildIndex, tempDir } from "./helpers/indexes.js";
import { call, get, post, startServer } from "./helpers/http.js";

function liveIdsOnDisk(dir: string): Set<string> {
  const index = SparseIndex.openSync(dir);
  const ids = new Set<string>();
  for (const { segment, deleted } of index.segments) {
    for (let p = 0; p < segment.docCount; p++) if (!isDeleted(deleted, p)) ids.add(segmentDocId(segment, p));
  }
  return ids;
}

test("add, read back, search, delete: each write is on disk when it is answered", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25] });
  const documents = [
    { id: "n1", title: "Auroras", text: "Solar wind particles make the aurora glow near the poles.", payload: { year: 2024, tags: ["sky"] } },
    { id: "n/2 ü", text: "Zebrafish regenerate heart tissue after injury." },
  ];
  const added = await post(url, "/indexes/facts/documents", { documents });
  assert.equal(added.status, 200, added.text);
  assert.equal(added.body.added, 2);
  assert.equal(added.body.generation, 2);
  const onDisk = liveIdsOnDisk(bm25);
  assert.ok(onDisk.has("n1") && onDisk.has("n/2 ü"), "committed before the answer");
  const read = await get(url, "/indexes/facts/documents/n1");
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.body, { index: "facts", id: "n1", title: "Auroras", text: documents[0].text, payload: { year: 2024, tags: ["sky"] } });
  const encoded = await get(url, `/indexes/facts/documents/${encodeURIComponent("n/2 ü")}`);
  assert.equal(encoded.status, 200, encoded.text);
  assert.deepEqual(encoded.body, { index: "facts", id: "n/2 ü", text: documents[1].text });
  const found = await post(url, "/search", { query: "zebrafish heart regeneration", k: 1 });
  assert.equal(found.body.hits[0].id, "n/2 ü");
  assert.equal(found.body.generations.facts, 2);
  const built = await get(url, "/indexes/facts/documents/d1");
  assert.deepEqual(built.body, { index: "facts", id: "d1", title: "Tides", text: "The moon's gravity causes ocean tides on the earth." });

  const deleted = await call(url, "DELETE", "/indexes/facts/documents/n1");
  assert.equal(deleted.status, 200, deleted.text);
  assert.deepEqual({ ...deleted.body, tookMs: 0 }, { index: "facts", generation: 3, deleted: "n1", tookMs: 0 });
  assert.equal(liveIdsOnDisk(bm25).has("n1"), false, "deleted on disk before the answer");
  assert.equal((await get(url, "/indexes/facts/documents/n1")).status, 404);
  const gone = await post(url, "/search", { query: "aurora solar wind", k: 20 });
  assert.ok(!gone.body.hits.some((h: { id: string }) => h.id === "n1"));
  const again = await call(url, "DELETE", "/indexes/facts/documents/n1");
  assert.equal(again.status, 404);
  assert.match(again.body.error.message, /no document "n1"/);

  const duplicate = await post(url, "/indexes/facts/documents", { documents: [{ id: "d3", text: "again" }] });
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.body.error.code, "CONFLICT");
  assert.match(duplicate.body.error.message, /^documents\[0\]\.id: "d3" is already in the index/);
  const readded = await post(url, "/indexes/facts/documents", { documents: [{ id: "n1", text: "A second life for n1 about auroras." }] });
  assert.equal(readded.status, 200, "a deleted id can be written again");
  const info = await get(url, "/indexes/facts");
  assert.deepEqual({ ...info.body, segments: 0 }, { name: "facts", documents: 14, deleted: 1, segments: 0, generation: 4, model: { kind: "bm25", name: "bm25" }, writable: true });
});

test("a write is visible only from the generation it was committed in, and all of a batch at once", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], limits: { maxDocuments: 2000 } });
  const batch = Array.from({ length: 2000 }, (_, i) => ({ id: `bulk-${i}`, text: `quasarglow marker document number ${i} ${"filler words about nothing in particular ".repeat(8)}` }));
  let acknowledged = null as { generation: number } | null;
  const write = post(url, "/indexes/facts/documents", { documents: batch }).then((r) => {
    assert.equal(r.status, 200, r.text);
    acknowledged = r.body;
  });
  const seen: Array<{ generation: number; count: number; durable: boolean; beforeAck: boolean }> = [];
  while (acknowledged === null) {
    const r = await post(url, "/search", { query: "quasarglow", k: 1000 });
    const beforeAck = acknowledged === null;
    const count = r.body.hits.length;
    // Anything visible must already be durable: the manifest on disk lists it.
    const durable = count === 0 || liveIdsOnDisk(bm25).has("bulk-0");
    seen.push({ generation: r.body.generations.facts, count, durable, beforeAck });
  }
  await write;
  const after = await post(url, "/search", { query: "quasarglow", k: 1000 });
  assert.equal(after.body.hits.length, 1000, "visible once acknowledged");
  assert.ok(after.body.generations.facts >= acknowledged!.generation);
  assert.ok(seen.some((s) => s.count === 0 && s.beforeAck), "searches ran while the write was in flight and did not see it");
  for (const s of seen) {
    assert.ok(s.count === 0 || s.count === 1000, `a batch is seen entirely or not at all (saw ${s.count})`);
    assert.equal(s.count > 0, s.generation >= acknowledged!.generation, "visible exactly from the committed generation");
    assert.ok(s.durable);
  }
});

test("concurrent writes are committed in groups; small segments are merged; every acknowledged document stays", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25], mergeFactor: 4 });
  const writes = Array.from({ length: 60 }, (_, i) => post(url, "/indexes/facts/documents", { documents: [{ id: `c${i}`, text: `concurrent write ${i} zanzibarite` }] }));
  const replies = await Promise.all(writes);
  for (const r of replies) assert.equal(r.status, 200, r.text);
  const generations = new Set(replies.map((r) => r.body.generation));
  assert.ok(generations.size < 60, `group commit: ${generations.size} commits for 60 writes`);
  const info = await get(url, "/indexes/facts");
  assert.equal(info.body.documents, 12 + 60);
  assert.ok(info.body.segments <= 4 * 3, `merged: ${info.body.segments} segments`);
  const ids = liveIdsOnDisk(bm25);
  for (let i = 0; i < 60; i++) assert.ok(ids.has(`c${i}`));
  const hits = await post(url, "/search", { query: "zanzibarite", k: 100 });
  assert.equal(hits.body.hits.length, 60);
  const metrics = await get(url, "/metrics");
  assert.match(metrics.text, /splade_committed_documents_total\{index="facts",kind="add"\} 60/);
});
