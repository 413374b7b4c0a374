import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { SearchPool } from "../../src/index/search-pool.js";
import { SegmentBuilder } from "../../src/index/segment-builder.js";
import { resolveSettings } from "../../src/index/settings.js";
import { bruteForceSearch } from "../../src/index/brute-force.js";
import { dot } from "../../src/sparse/ops.js";
import { syntheticDocuments, syntheticVector } from "./helpers/corpus.js";

test("a pool of worker threads answers exactly like the index itself", async () => {
  const index = SparseIndex.fromDocuments(syntheticDocuments(5, 0, 2000), { settings: { blockSize: 16 } });
  const queries = Array.from({ length: 50 }, (_, i) => syntheticVector(6, i, 200, 8));
  const pool = await SearchPool.create(index, { threads: 2 });
  try {
    const got = await pool.search(queries, { k: 7 });
    assert.deepEqual(got, queries.map((q) => index.searchOrdinals(q, { k: 7 })));
  } finally {
    await pool.close();
  }
});

test("one query split across the threads by segment answers exactly like the index itself (exact and approximate)", async () => {
  const settings = resolveSettings({ blockSize: 16 });
  const segments = [0, 1, 2].map((part) => {
    const builder = new SegmentBuilder(settings);
    for (const doc of syntheticDocuments(7, part * 700, 700)) builder.add(doc);
    return { segment: builder.build(), deleted: null };
  });
  const index = SparseIndex.fromSegments(settings, null, segments);
  assert.equal(index.segments.length, 3);
  const docs = syntheticDocuments(7, 0, 2100);
  const queries = Array.from({ length: 30 }, (_, i) => syntheticVector(8, i, 200, 8));
  const pool = await SearchPool.create(index, { threads: 2 });
  try {
    for (const query of queries) {
      const exact = await pool.searchSplit(query, { k: 7 });
      assert.deepEqual(exact, index.searchOrdinals(query, { k: 7 }));
      assert.deepEqual(exact, bruteForceSearch(docs.map((d) => d.vector), query, { k: 7 }), "equal to brute force");
      for (const hit of await pool.searchSplit(query, { k: 7, approximate: true })) assert.equal(hit.score, dot(query, docs[hit.ordinal].vector), "approximate hits carry exact scores");
    }
  } finally {
    await pool.close();
  }
});
