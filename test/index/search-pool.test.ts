import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { SearchPool } from "../../src/index/search-pool.js";
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
