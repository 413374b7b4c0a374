/**
 * What a long-lived writer (the HTTP server) uses from the index, each held to a slow oracle:
 *  - storedImpacts / storedVector equal the forward view (segment-documents.ts) for every document, f32, u8 and
 *    BM25, across segments and reordering; Σ query weight · stored impact (ascending terms) is the search
 *    score bit for bit (what "explain" promises);
 *  - IndexReader re-opens after add / delete / mergeTail equal to a fresh SparseIndex.open, re-using the
 *    segments that did not change;
 *  - mergeTail merges only the tail and keeps search equal to brute force;
 *  - holdIndexLock keeps other writers out and lets this process write under it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { addDocuments, createIndex, deleteDocuments, mergeTail } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { IndexReader } from "../../src/index/index-reader.js";
import { storedImpacts, storedVector } from "../../src/index/stored-impacts.js";
import { forwardDocuments, forwardVector } from "../../src/index/segment-documents.js";
import { holdIndexLock, LOCK_FILE } from "../../src/index/index-lock.js";
import { isDeleted } from "../../src/index/segment-query.js";
import { segmentDocId } from "../../src/index/segment.js";
import { isSpladeError } from "../../src/util/errors.js";
import type { IndexDocument } from "../../src/index/segment-builder.js";
import { syntheticDocuments, syntheticVector, expectedHits } from "./helpers/corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

const small = { blockSize: 8, superblockSize: 4 };
const queries = Array.from({ length: 12 }, (_, i) => syntheticVector(55, i, 200, 6));

/** Term-frequency documents (positive integer counts) for BM25 indexes. */
function countDocuments(from: number, count: number): IndexDocument[] {
  return syntheticDocuments(7, from, count).map((d) => ({ ...d, vector: { indices: d.vector.indices, values: d.vector.values.map((v) => Math.ceil(v)) } }));
}

function liveIds(index: SparseIndex): string[] {
  const ids: string[] = [];
  for (const { segment, deleted } of index.segments) {
    for (let p = 0; p < segment.docCount; p++) if (!isDeleted(deleted, p)) ids.push(segmentDocId(segment, p));
  }
  return ids;
}

for (const variant of [{ name: "f32", settings: small }, { name: "u8", settings: { ...small, impact: "u8" as const } }, { name: "bm25", settings: { ...small, weighting: { kind: "bm25" as const, k1: 0.9, b: 0.4 } } }]) {
  test(`storedImpacts and storedVector equal the forward view, and explain sums to the score (${variant.name})`, async (t) => {
    const dir = tempDir("splade-llw-");
    const docs = variant.name === "bm25" ? countDocuments(0, 300) : syntheticDocuments(3, 0, 300);
    await createIndex(dir, docs, { settings: variant.settings, maxSegmentPostings: 1500 });
    const index = await SparseIndex.open(dir);
    assert.ok(index.segments.length > 1);
    for (const { segment, baseOrdinal } of index.segments) {
      const forward = forwardDocuments(segment);
      for (let position = 0; position < segment.docCount; position++) {
        const expected = forwardVector(forward, position);
        const got = storedVector(index, baseOrdinal + position);
        assert.deepEqual(got.indices, Uint32Array.from(expected.indices));
        assert.deepEqual(got.values, Float32Array.from(expected.values));
        const probe = Uint32Array.from([0, ...expected.indices, 199]);
        const impacts = storedImpacts(index, baseOrdinal + position, probe);
        probe.forEach((term, i) => {
          const at = expected.indices.indexOf(term);
          assert.equal(impacts[i], at < 0 ? 0 : expected.values[at], `term ${term}`);
        });
      }
    }
    for (const query of queries) {
      const weighted = index.queryVector(query);
      for (const hit of index.searchOrdinals(query, { k: 10 })) {
        const impacts = storedImpacts(index, hit.ordinal, weighted.indices);
        let sum = 0;
        for (let i = 0; i < impacts.length; i++) sum += weighted.values[i] * impacts[i];
        assert.equal(sum, hit.score, "contributions in ascending term order add up to the score exactly");
      }
    }
  });
}

test("IndexReader re-opens after add, delete and mergeTail like a fresh open, re-using unchanged segments", async () => {
  const dir = tempDir("splade-llw-");
  let live = syntheticDocuments(4, 0, 200, { payload: true });
  await createIndex(dir, live, { settings: small });
  const reader = new IndexReader(dir);
  const first = reader.open();
  assert.equal(first.generation, 1);
  const check = (index: SparseIndex) => {
    const fresh = SparseIndex.openSync(dir);
    assert.equal(index.generation, fresh.generation);
    assert.deepEqual(liveIds(index), liveIds(fresh));
    assert.deepEqual(liveIds(index), live.map((d) => d.id));
    for (const query of queries) assert.deepEqual(index.search(query, { k: 7 }).map(({ id, score }) => ({ id, score })), expectedHits(live, query, 7));
  };
  for (let batch = 0; batch < 5; batch++) {
    const added = syntheticDocuments(4, 200 + batch * 10, 10, { payload: true });
    await addDocuments(dir, added);
    live = [...live, ...added];
    const index = reader.open();
    assert.equal(index.segments[0].segment, first.segments[0].segment, "the unchanged first segment is the same object");
    check(index);
  }
  await deleteDocuments(dir, ["doc-3", "doc-205", "doc-239"]);
  live = live.filter((d) => !["doc-3", "doc-205", "doc-239"].includes(d.id));
  check(reader.open());
  const before = reader.open();
  const merged = await mergeTail(dir, 1);
  assert.equal(merged.segmentCount, 2, "the five small segments became one");
  const after = reader.open();
  assert.equal(after.segments[0].segment, before.segments[0].segment, "mergeTail leaves the head alone");
  assert.equal(after.segments[0].deleted, before.segments[0].deleted);
  check(after);
  assert.equal(after.stats().deletedCount, 1, "the tail's deleted documents are dropped, the head's kept");
  await assert.rejects(mergeTail(dir, 3), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT") && e.message.includes("2 segment(s)"));
});

test("mergeTail on a BM25 index recomputes the tail with the collection's avgdl and keeps search exact", async () => {
  const dir = tempDir("splade-llw-");
  const settings = { ...small, weighting: { kind: "bm25" as const, k1: 0.9, b: 0.4 } };
  await createIndex(dir, countDocuments(0, 100), { settings });
  for (let i = 0; i < 4; i++) await addDocuments(dir, countDocuments(100 + i * 5, 5));
  const beforeIds = liveIds(SparseIndex.openSync(dir));
  await mergeTail(dir, 1);
  const index = SparseIndex.openSync(dir);
  assert.equal(index.segments.length, 2);
  assert.deepEqual(liveIds(index), beforeIds);
  for (const query of queries) {
    const exhaustive = index.search(query, { k: 10, algorithm: "exhaustive" }).map(({ id, score }) => ({ id, score }));
    assert.deepEqual(index.search(query, { k: 10 }).map(({ id, score }) => ({ id, score })), exhaustive);
  }
});

test("holdIndexLock: this process writes under the held lock, other holders are refused, release removes it", async () => {
  const dir = tempDir("splade-llw-");
  await createIndex(dir, syntheticDocuments(5, 0, 20), { settings: small });
  const lock = holdIndexLock(dir);
  assert.ok(existsSync(join(dir, LOCK_FILE)));
  assert.throws(() => holdIndexLock(dir), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT") && e.message.includes("already held"));
  await addDocuments(dir, syntheticDocuments(5, 20, 5));
  assert.ok(existsSync(join(dir, LOCK_FILE)), "a write under the held lock does not release it");
  assert.equal(SparseIndex.openSync(dir).docCount, 25);
  lock.release();
  lock.release();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  await addDocuments(dir, syntheticDocuments(5, 25, 5));
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
});
