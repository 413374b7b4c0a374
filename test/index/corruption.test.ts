/**
 * A corrupt, truncated, swapped or foreign file is an error naming the file, never a wrong result.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, readdirSync, writeFileSync, truncateSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { createIndex, deleteDocuments } from "../../src/index/index-writer.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { encodeBinaryFile } from "../../src/index/binary-file.js";
import { isSpladeError, type SpladeErrorCode } from "../../src/util/errors.js";
import { syntheticDocuments } from "./helpers/corpus.js";
import { tempDir } from "../helpers/temp-dir.js";

async function freshIndex(t: { after(fn: () => void): void }, seed = 1): Promise<string> {
  const dir = tempDir("splade-corrupt-");
  await createIndex(dir, syntheticDocuments(seed, 0, 300, { payload: true }), { settings: { blockSize: 8, superblockSize: 4 } });
  return dir;
}

const segmentFile = (dir: string) => join(dir, readdirSync(dir).find((f) => f.endsWith(".seg"))!);

function flipByte(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] ^= 0x5a;
  writeFileSync(path, bytes);
}

async function assertOpenFails(dir: string, code: SpladeErrorCode, mention: string) {
  await assert.rejects(SparseIndex.open(dir), (e: unknown) => {
    assert.ok(isSpladeError(e, code), `expected ${code}, got ${String(e)}`);
    assert.ok((e as Error).message.includes(mention), `message names ${mention}: ${(e as Error).message}`);
    return true;
  });
}

test("a flipped byte anywhere in a segment file (header, table, data, padding) is detected", async (t) => {
  const dir = await freshIndex(t);
  const path = segmentFile(dir);
  const size = statSync(path).size;
  const original = readFileSync(path);
  for (let i = 0; i < 48; i++) {
    const at = Math.floor((i * size) / 48) + (i % 7);
    flipByte(path, at);
    await assert.rejects(SparseIndex.open(dir), (e: unknown) => isSpladeError(e) && ["CHECKSUM_MISMATCH", "INVALID_FILE"].includes(e.code) && e.message.includes(path), `byte ${at}`);
    writeFileSync(path, original);
  }
  await SparseIndex.open(dir);
});

test("a truncated segment file is detected", async (t) => {
  const dir = await freshIndex(t);
  const path = segmentFile(dir);
  truncateSync(path, statSync(path).size - 64);
  await assertOpenFails(dir, "INVALID_FILE", path);
  truncateSync(path, 10);
  await assertOpenFails(dir, "INVALID_FILE", path);
});

test("a foreign file in place of a segment is rejected", async (t) => {
  const dir = await freshIndex(t);
  const path = segmentFile(dir);
  writeFileSync(path, JSON.stringify({ hello: "world" }).repeat(20));
  await assertOpenFails(dir, "INVALID_FILE", "not a splade-ts index file");
});

test("a segment from another index (valid file, wrong contents) is rejected", async (t) => {
  const dir = await freshIndex(t, 1);
  const other = await freshIndex(t, 2);
  copyFileSync(segmentFile(other), segmentFile(dir));
  await assertOpenFails(dir, "CHECKSUM_MISMATCH", "does not match");
});

test("a newer format version is refused as unsupported", async (t) => {
  const dir = await freshIndex(t);
  const { chunks } = encodeBinaryFile("SEGM", 99, [{ name: "meta", type: "json", data: Buffer.from("{}") }]);
  writeFileSync(segmentFile(dir), Buffer.concat(chunks));
  await assertOpenFails(dir, "UNSUPPORTED", "version 99");
});

test("a damaged, edited, foreign or missing manifest is detected", async (t) => {
  const dir = await freshIndex(t);
  const manifestPath = join(dir, "index.json");
  const original = readFileSync(manifestPath, "utf8");
  writeFileSync(manifestPath, original.replace(/"docCount": 300/, '"docCount": 299'));
  await assertOpenFails(dir, "CHECKSUM_MISMATCH", "manifest checksum");
  writeFileSync(manifestPath, original.slice(0, original.length / 2));
  await assertOpenFails(dir, "INVALID_FILE", "index.json");
  writeFileSync(manifestPath, JSON.stringify({ name: "some package" }));
  await assertOpenFails(dir, "INVALID_FILE", "not a splade-ts index manifest");
  unlinkSync(manifestPath);
  await assertOpenFails(dir, "FILE_NOT_FOUND", "index.json");
});

test("a missing segment file or a corrupt deletion bitmap is detected", async (t) => {
  const dir = await freshIndex(t);
  await deleteDocuments(dir, ["doc-1", "doc-2"]);
  const bitmap = join(dir, readdirSync(dir).find((f) => f.endsWith(".del"))!);
  flipByte(bitmap, statSync(bitmap).size - 2);
  await assertOpenFails(dir, "CHECKSUM_MISMATCH", bitmap);
  unlinkSync(segmentFile(dir));
  await assertOpenFails(dir, "FILE_NOT_FOUND", ".seg");
});
