/** Reading `splade encode` inputs: JSONL (text, _id/id, title) or plain lines, streamed, with errors naming the line. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTextRecords, type ReadTextRecordsOptions, type TextRecord } from "../../src/encoder/index.js";
import { formatFloat32, vectorLine } from "../../src/encoder/encode-file.js";
import { tempDir } from "../helpers/temp-dir.js";

async function records(t: { after: (fn: () => void) => void }, name: string, content: string, options: ReadTextRecordsOptions = {}): Promise<TextRecord[]> {
  const dir = tempDir("records-");
  const path = join(dir, name);
  writeFileSync(path, content);
  const out: TextRecord[] = [];
  for await (const r of readTextRecords(path, options)) out.push(r);
  return out;
}

test("JSONL: text with _id or id as written, title prepended on request, blank lines skipped, BOM and CRLF", async (t) => {
  const content = '\uFEFF{"_id":"a","title":"T","text":"x"}\r\n\r\n{"id":3,"text":"y","title":""}\n{"text":"z"}';
  assert.deepEqual(await records(t, "in.data", content), [{ id: "a", text: "x" }, { id: 3, text: "y" }, { text: "z" }]);
  assert.deepEqual((await records(t, "in.jsonl", content, { title: true })).map((r) => r.text), ["T x", "y", "z"]);
});

test("plain text: one text per line, empty lines kept so output lines match input lines", async (t) => {
  assert.deepEqual(await records(t, "in.txt", "first\n\n third \n"), [{ text: "first" }, { text: "" }, { text: " third " }]);
  assert.deepEqual(await records(t, "in.jsonl", '{"text":"a"}\n', { format: "text" }), [{ text: '{"text":"a"}' }]);
});

test("malformed records → INVALID_FILE naming file:line; a missing file → FILE_NOT_FOUND", async (t) => {
  await assert.rejects(records(t, "a.jsonl", '{"text":"ok"}\n{"title":"no text"}\n'), { code: "INVALID_FILE", message: /a\.jsonl:2: expected a string field "text"/ });
  await assert.rejects(records(t, "b.jsonl", '{"text":"ok"}\n[1]\n'), { code: "INVALID_FILE", message: /b\.jsonl:2: expected a JSON object/ });
  await assert.rejects(records(t, "c.jsonl", '{"text":"ok","_id":{}}\n'), { code: "INVALID_FILE", message: /c\.jsonl:1: "_id"\/"id"/ });
  const missing = readTextRecords("/nonexistent/input.jsonl")[Symbol.asyncIterator]().next();
  await assert.rejects(missing, { code: "FILE_NOT_FOUND" });
});

test("vector lines: shortest float32 round-trip decimals, id kept as string or number", () => {
  for (const x of [0.1, 1 / 3, 1e-7, 123.456, 2.5, 3.4028234663852886e38]) {
    const f = Math.fround(x);
    assert.equal(Math.fround(Number(formatFloat32(f))), f, String(x));
  }
  assert.equal(formatFloat32(Math.fround(0.1)), "0.1");
  const v = { indices: Uint32Array.from([2, 9]), values: Float32Array.from([0.5, Math.fround(1 / 3)]) };
  assert.equal(vectorLine(v, "d1"), '{"id":"d1","indices":[2,9],"values":[0.5,0.33333334]}\n');
  assert.equal(vectorLine(v, 7), '{"id":7,"indices":[2,9],"values":[0.5,0.33333334]}\n');
  assert.equal(vectorLine(v), '{"indices":[2,9],"values":[0.5,0.33333334]}\n');
});
