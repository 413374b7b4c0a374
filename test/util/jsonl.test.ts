// util/jsonl.ts, the line reader under BEIR loading (eval/beir.ts) and the index/search inputs
// (app/text-files.ts): line numbers across read chunks, CRLF, a BOM, blank lines, and INVALID_FILE errors
// that name "<file>:<line>" for invalid UTF-8 and invalid JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { countNonBlankLines, readJsonlObjects, readLines } from "../../src/util/jsonl.js";
import { isSpladeError } from "../../src/util/errors.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("splade-jsonl-");
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test("lines: numbered from 1, CRLF dropped, last line without newline kept, no empty line after a final newline", async () => {
  const lines = await collect(readLines(file("a.txt", "one\r\ntwo\n\nthree")));
  assert.deepEqual(lines.map((l) => [l.lineNumber, l.text]), [[1, "one"], [2, "two"], [3, ""], [4, "three"]]);
  assert.equal(lines[1].where, `${join(dir, "a.txt")}:2`);
  assert.deepEqual((await collect(readLines(file("b.txt", "x\n")))).map((l) => l.text), ["x"]);
  assert.deepEqual(await collect(readLines(file("empty.txt", ""))), []);
});

test("lines split across read chunks (multi-byte characters on the boundaries) come back whole", async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `{"_id": "${i}", "text": "é${"日本".repeat(i % 37)}ü"}`);
  const path = file("big.jsonl", rows.join("\n") + "\n");
  const records = await collect(readJsonlObjects(path));
  assert.equal(records.length, rows.length);
  records.forEach(({ record }, i) => assert.deepEqual(record, JSON.parse(rows[i])));
  assert.equal(await countNonBlankLines(path), rows.length);
});

test("JSONL: blank lines skipped, a BOM before the first line ignored, `where` names the line", async () => {
  const path = file("c.jsonl", '\uFEFF{"a": 1}\n\n   \n{"a": 2}\r\n');
  const records = await collect(readJsonlObjects(path));
  assert.deepEqual(records.map((r) => r.record), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(records.map((r) => r.where), [`${path}:1`, `${path}:4`]);
  assert.equal(await countNonBlankLines(path), 2);
});

test("errors: missing file, invalid UTF-8, invalid JSON, not an object — each naming the file and line", async () => {
  const invalid = (pattern: RegExp) => (e: unknown) => isSpladeError(e, "INVALID_FILE") && pattern.test(e.message);
  await assert.rejects(collect(readJsonlObjects(join(dir, "missing.jsonl"))), (e) => isSpladeError(e, "FILE_NOT_FOUND") && /missing\.jsonl not found/.test(e.message));
  await assert.rejects(collect(readJsonlObjects(dir)), (e) => isSpladeError(e, "FILE_NOT_FOUND"));
  const badUtf8 = file("d.jsonl", Buffer.concat([Buffer.from('{"a": 1}\n{"a": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
  await assert.rejects(collect(readJsonlObjects(badUtf8)), invalid(/d\.jsonl:2: not valid UTF-8/));
  await assert.rejects(countNonBlankLines(badUtf8), invalid(/d\.jsonl:2: not valid UTF-8/));
  await assert.rejects(collect(readJsonlObjects(file("e.jsonl", '{"a": 1}\n\n{"a": '))), invalid(/e\.jsonl:3: not valid JSON/));
  await assert.rejects(collect(readJsonlObjects(file("f.jsonl", "[1]"))), invalid(/f\.jsonl:1: expected a JSON object/));
  await assert.rejects(collect(readJsonlObjects(file("g.jsonl", '{"a": 1}\n\uFEFF{"a": 2}'))), invalid(/g\.jsonl:2: not valid JSON/));
});
