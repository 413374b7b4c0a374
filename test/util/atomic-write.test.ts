/**
 * util/atomic-write.ts: files are replaced whole or not at all, no temporary is left behind, and a file
 * system failure comes back as SpladeError IO naming the target (the CLI's exit code 8), with the old file
 * intact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AtomicFileWriter, writeFileAtomicSync } from "../../src/util/atomic-write.js";
import { SpladeError } from "../../src/util/errors.js";
import { spladeSync } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

function assertIo(error: unknown, path: string): true {
  assert.ok(error instanceof SpladeError, String(error));
  assert.equal(error.code, "IO");
  assert.equal(error.path, path);
  assert.ok(error.message.startsWith(`cannot write ${path}: `), error.message);
  return true;
}

test("writeFileAtomicSync writes and replaces, leaving only the target", () => {
  const dir = tempDir("splade-atomic-");
  const path = join(dir, "sub", "file.txt");
  writeFileAtomicSync(path, ["a", new Uint8Array([0x62])]);
  assert.equal(readFileSync(path, "utf8"), "ab");
  writeFileAtomicSync(path, "new");
  assert.equal(readFileSync(path, "utf8"), "new");
  assert.deepEqual(readdirSync(join(dir, "sub")), ["file.txt"]);
});

test("writeFileAtomicSync: a file system failure is IO naming the target, and nothing is lost or left", () => {
  const dir = tempDir("splade-atomic-");
  // A regular file where a folder should be: mkdir fails (ENOTDIR/EEXIST).
  writeFileSync(join(dir, "plain"), "x");
  const underFile = join(dir, "plain", "file.txt");
  assert.throws(() => writeFileAtomicSync(underFile, "data"), (e) => assertIo(e, underFile));
  // The target is a folder: the rename over it fails (EISDIR); the folder and its content stay.
  const folder = join(dir, "folder");
  mkdirSync(folder);
  writeFileSync(join(folder, "kept"), "kept");
  assert.throws(() => writeFileAtomicSync(folder, "data"), (e) => assertIo(e, folder));
  assert.equal(readFileSync(join(folder, "kept"), "utf8"), "kept");
  assert.deepEqual(readdirSync(dir).sort(), ["folder", "plain"], "no temporary left");
});

test("AtomicFileWriter: commit publishes, abort and a failed commit leave the old file and no temporary", async () => {
  const dir = tempDir("splade-atomic-");
  const path = join(dir, "out.jsonl");
  const first = await AtomicFileWriter.open(path);
  await first.write("one\n");
  await first.write(new Uint8Array([0x32, 0x0a]));
  await first.commit();
  assert.equal(readFileSync(path, "utf8"), "one\n2\n");

  const aborted = await AtomicFileWriter.open(path);
  await aborted.write("lost\n");
  await aborted.abort();
  assert.equal(readFileSync(path, "utf8"), "one\n2\n");
  assert.deepEqual(readdirSync(dir), ["out.jsonl"]);

  // The target became a folder meanwhile: the rename fails, the writer cleans up after itself.
  const sub = join(dir, "sub");
  const failing = await AtomicFileWriter.open(join(sub, "x"));
  await failing.write("data");
  rmSync(sub, { recursive: true });
  mkdirSync(join(sub, "x"), { recursive: true });
  writeFileSync(join(sub, "x", "kept"), "kept");
  await assert.rejects(failing.commit(), (e) => assertIo(e, join(sub, "x")));
  assert.deepEqual(readdirSync(sub), ["x"]);
  assert.equal(readFileSync(join(sub, "x", "kept"), "utf8"), "kept");

  const underFile = join(path, "child");
  await assert.rejects(AtomicFileWriter.open(underFile), (e) => assertIo(e, underFile));
});

test("the CLI reports a file system failure as [IO] naming the file, with exit code 8", () => {
  const dir = tempDir("splade-atomic-");
  const input = join(dir, "texts.txt");
  writeFileSync(input, "hello world\n");
  const output = join(input, "ids.jsonl"); // under a regular file
  const r = spladeSync(["tokenize", "--model", "test/fixtures/tiny-bert-splade", "--input", input, "--output", output]);
  assert.equal(r.code, 8, r.stderr);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.ok(r.stderr.startsWith(`splade: error [IO]: cannot write ${output}: `), r.stderr);
});
