/**
 * The writer thread of a served index: it holds the index lock while it lives, applies transactions like the
 * index writer, and an abort that lands mid-transaction rolls it back before its commit point.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createIndex, addDocuments } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { LOCK_FILE } from "../../src/index/index-lock.js";
import { isSpladeError } from "../../src/util/errors.js";
import { WriterThread } from "../../src/server/writer-thread.js";
import { syntheticDocuments } from "../index/helpers/corpus.js";
import { tempDir } from "./helpers/indexes.js";

test("the writer thread holds the lock, writes, merges, and releases on close", async () => {
  const dir = tempDir("splade-serve-");
  await createIndex(dir, syntheticDocuments(1, 0, 50));
  const writer = await WriterThread.start(dir);
  assert.ok(existsSync(join(dir, LOCK_FILE)));
  await assert.rejects(addDocuments(dir, syntheticDocuments(1, 50, 1)), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT") && e.message.includes("being written by process"));
  await assert.rejects(WriterThread.start(dir), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT"), "a second writer is refused");
  assert.equal((await writer.add(syntheticDocuments(1, 50, 10))).generation, 2);
  assert.equal((await writer.add(syntheticDocuments(1, 60, 10))).generation, 3);
  assert.equal((await writer.delete(["doc-3", "doc-55"])).generation, 4);
  assert.equal((await writer.mergeTail(1)).generation, 5);
  await assert.rejects(writer.add(syntheticDocuments(1, 0, 1)), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT") && e.message.includes("already in the index"));
  const index = SparseIndex.openSync(dir);
  assert.equal(index.docCount, 68);
  assert.equal(index.segments.length, 2);
  await writer.close();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  await addDocuments(dir, syntheticDocuments(1, 70, 1));
});

test("an abort that lands mid-transaction rolls it back: nothing of it is published", async () => {
  const dir = tempDir("splade-serve-");
  await createIndex(dir, syntheticDocuments(2, 0, 20));
  const writer = await WriterThread.start(dir);
  const write = writer.add(syntheticDocuments(2, 20, 5000));
  writer.abort();
  await assert.rejects(write, (e: unknown) => isSpladeError(e, "CANCELLED"));
  await assert.rejects(writer.add(syntheticDocuments(2, 9000, 1)), (e: unknown) => isSpladeError(e, "CANCELLED"), "refused after abort");
  await writer.close();
  const index = SparseIndex.openSync(dir);
  assert.equal(index.generation, 1);
  assert.equal(index.docCount, 20);
});
