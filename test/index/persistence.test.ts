/**
 * Persistence: build → open round trips (f32, u8, payloads), add / delete / merge keep search equal to
 * brute force over the live documents, and ids come back with their payloads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createIndex, addDocuments, deleteDocuments, mergeIndex } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { isSpladeError } from "../../src/util/errors.js";
import { syntheticDocuments, syntheticVector, expectedHits } from "./helpers/corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

const queries = Array.from({ length: 20 }, (_, i) => syntheticVector(99, i, 200, 6));
const small = { blockSize: 8, superblockSize: 4 };

function assertSearchEquals(index: SparseIndex, live: Parameters<typeof expectedHits>[0], k = 10) {
  for (const query of queries) {
    for (const algorithm of ["bmp", "exhaustive"] as const) {
      const got = index.search(query, { k, algorithm }).map(({ id, score }) => ({ id, score }));
      assert.deepEqual(got, expectedHits(live, query, k), algorithm);
    }
  }
}

test("build then open: search equals brute force, payloads and stats come back", async () => {
  const dir = tempDir("splade-index-");
  const docs = syntheticDocuments(1, 0, 700, { payload: true });
  const result = await createIndex(dir, docs, { settings: small, model: { kind: "test" }, maxSegmentPostings: 3000 });
  assert.ok(result.segmentCount > 1, "several segments were flushed");
  const index = await SparseIndex.open(dir);
  assertSearchEquals(index, docs);
  const hit = index.search(queries[0], { k: 1 })[0];
  assert.deepEqual(hit.payload, docs.find((d) => d.id === hit.id)!.payload);
  const stats = index.stats();
  assert.equal(stats.docCount, 700);
  assert.equal(stats.segmentCount, result.segmentCount);
  assert.deepEqual(stats.model, { kind: "test" });
  assert.equal(stats.postingCount, docs.reduce((n, d) => n + d.vector.indices.length, 0));
});

test("u8 impacts: an opened index answers exactly over its dequantized weights, close to float32", async () => {
  const dir = tempDir("splade-index-");
  const docs = syntheticDocuments(2, 0, 400);
  await createIndex(dir, docs, { settings: { ...small, impact: "u8" } });
  const index = await SparseIndex.open(dir);
  for (const query of queries) {
    const bmp = index.search(query, { k: 10 });
    assert.deepEqual(bmp, index.search(query, { k: 10, algorithm: "exhaustive" }));
    const exact = expectedHits(docs, query, 10);
    assert.ok(Math.abs(bmp[0].score - exact[0].score) <= 0.02 * exact[0].score);
  }
});

test("add, delete and merge keep search equal to brute force over the live documents", async () => {
  const dir = tempDir("splade-index-");
  let live = syntheticDocuments(3, 0, 300);
  await createIndex(dir, live, { settings: small });
  const more = syntheticDocuments(3, 300, 200);
  await addDocuments(dir, more);
  live = [...live, ...more];
  assertSearchEquals(await SparseIndex.open(dir), live);

  const doomed = live.filter((_, i) => i % 7 === 3).map((d) => d.id);
  const outcome = await deleteDocuments(dir, [...doomed, "no-such-id"]);
  assert.equal(outcome.deletedCount, doomed.length);
  assert.deepEqual(outcome.notFound, ["no-such-id"]);
  live = live.filter((d) => !doomed.includes(d.id));
  const afterDelete = await SparseIndex.open(dir);
  assert.equal(afterDelete.docCount, live.length);
  assertSearchEquals(afterDelete, live);

  await mergeIndex(dir);
  const merged = await SparseIndex.open(dir);
  assert.equal(merged.stats().segmentCount, 1);
  assert.equal(merged.stats().deletedCount, 0);
  assertSearchEquals(merged, live);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".seg")).length, 1, "old segment files were removed");

  // A deleted id can be added again; a live one cannot.
  await addDocuments(dir, [{ id: doomed[0], vector: syntheticVector(3, 10_000) }]);
  await assert.rejects(addDocuments(dir, [{ id: live[0].id, vector: syntheticVector(3, 10_001) }]), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});

test("an empty index opens and finds nothing; an existing index is not overwritten by accident", async () => {
  const dir = tempDir("splade-index-");
  await createIndex(dir, []);
  const index = await SparseIndex.open(dir);
  assert.deepEqual(index.search(queries[0]), []);
  await assert.rejects(createIndex(dir, []), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
  await createIndex(dir, syntheticDocuments(4, 0, 10), { overwrite: true });
  assert.equal((await SparseIndex.open(dir)).docCount, 10);
});
