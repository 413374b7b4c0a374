/**
 * The writer builds segments filled mid-stream on a worker thread (segment-build-thread.ts) while it collects
 * the next: the files must be the ones a one-thread build writes, byte for byte (f32, u8, BM25 with payloads,
 * approximate structures), and a write that fails while a segment is in flight leaves the previous index intact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { addDocuments, createIndex } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { isSpladeError } from "../../src/util/errors.js";
import type { IndexDocument } from "../../src/index/segment-builder.js";
import { syntheticDocuments, syntheticVector, expectedHits } from "./helpers/corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

function segmentFiles(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).filter((n) => n.endsWith(".seg")).sort().map((n) => [n, readFileSync(join(dir, n))]));
}

const termFrequencies = (docs: IndexDocument[]): IndexDocument[] =>
  docs.map((d) => ({ ...d, vector: { indices: d.vector.indices, values: Float32Array.from(d.vector.values, (v) => 1 + Math.floor(v * 3)) } }));

const variants = [
  { name: "f32, bp", settings: { blockSize: 8, superblockSize: 4 }, docs: syntheticDocuments(11, 0, 900) },
  { name: "u8, top-terms", settings: { blockSize: 8, superblockSize: 4, impact: "u8" as const, reorder: "top-terms" as const }, docs: syntheticDocuments(12, 0, 900) },
  { name: "bm25 with payloads", settings: { blockSize: 16, superblockSize: 4, weighting: { kind: "bm25" as const, k1: 0.9, b: 0.4 } }, docs: termFrequencies(syntheticDocuments(13, 0, 900, { payload: true })) },
];

for (const variant of variants) {
  test(`background segment builds write the same files as one thread (${variant.name})`, async (t) => {
    const background = tempDir("splade-bgbuild-");
    const serial = tempDir("splade-bgbuild-");
    const a = await createIndex(background, variant.docs, { settings: variant.settings, maxSegmentPostings: 2500 });
    const b = await createIndex(serial, variant.docs, { settings: variant.settings, maxSegmentPostings: 2500, backgroundBuild: false });
    assert.ok(a.segmentCount >= 3, `several segments (got ${a.segmentCount})`);
    assert.equal(a.segmentCount, b.segmentCount);
    assert.deepEqual(readFileSync(join(background, "index.json"), "utf8"), readFileSync(join(serial, "index.json"), "utf8"));
    assert.deepEqual(segmentFiles(background), segmentFiles(serial));
    if (variant.name.startsWith("f32")) {
      const index = await SparseIndex.open(background);
      for (let q = 0; q < 10; q++) {
        const query = syntheticVector(77, q, 200, 6);
        assert.deepEqual(index.search(query, { k: 10 }).map(({ id, score }) => ({ id, score })), expectedHits(variant.docs, query, 10));
      }
    }
  });
}

test("a write that fails while a segment is being built in the background leaves the previous index intact", async () => {
  const dir = tempDir("splade-bgbuild-");
  const first = syntheticDocuments(14, 0, 300);
  await createIndex(dir, first, { settings: { blockSize: 8, superblockSize: 4 } });
  const before = readFileSync(join(dir, "index.json"), "utf8");
  function* batch(): Generator<IndexDocument> {
    yield* syntheticDocuments(15, 300, 900); // fills segments, the first ones handed to the thread
    yield first[0]; // an id already in the index: the write fails
  }
  await assert.rejects(addDocuments(dir, batch(), { maxSegmentPostings: 2500 }), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
  assert.equal(readFileSync(join(dir, "index.json"), "utf8"), before);
  const index = await SparseIndex.open(dir);
  assert.equal(index.stats().docCount, 300);
  const query = syntheticVector(77, 0, 200, 6);
  assert.deepEqual(index.search(query, { k: 10 }).map(({ id, score }) => ({ id, score })), expectedHits(first, query, 10));
  await addDocuments(dir, syntheticDocuments(16, 300, 320), { maxSegmentPostings: 2500 });
  const listed = (JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { segments: Array<{ file: string }> }).segments.map((s) => s.file);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith(".seg") || n.endsWith(".tmp")).sort(), listed.sort(), "leftovers removed by the next writer");
  assert.equal((await SparseIndex.open(dir)).stats().docCount, 620);
});
