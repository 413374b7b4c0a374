// Qrels (BEIR TSV and TREC) and TREC run files: formats, and clear errors naming file and line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseQrels, readQrelsFile } from "../../src/eval/qrels-file.js";
import { parseRun, readRunFile } from "../../src/eval/run-file.js";
import { isSpladeError } from "../../src/util/errors.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("splade-eval-files-");

function invalid(pattern: RegExp) {
  return (e: unknown) => isSpladeError(e, "INVALID_FILE") && pattern.test(e.message);
}

test("BEIR TSV qrels with header, and TREC qrels", () => {
  const beir = parseQrels("query-id\tcorpus-id\tscore\r\nq1\td1\t1\nq1\td2\t0\n\nq2\td1\t2\n", "test.tsv");
  assert.deepEqual([...beir.keys()], ["q1", "q2"]);
  assert.deepEqual([...beir.get("q1")!], [["d1", 1], ["d2", 0]]);
  const trec = parseQrels("101 0 docA 1\n101 0 docB 0\n102 Q0 docC 3\n", "qrels.trec");
  assert.deepEqual([...trec.get("101")!], [["docA", 1], ["docB", 0]]);
  assert.equal(trec.get("102")!.get("docC"), 3);
});

test("qrels errors name the file and line", () => {
  assert.throws(() => parseQrels("query-id\tcorpus-id\tscore\nq1\td1\n", "x.tsv"), invalid(/x\.tsv:2: expected 3 fields/));
  assert.throws(() => parseQrels("q1\td1\tyes\n", "x.tsv"), invalid(/x\.tsv:1: relevance is not a number/));
  assert.throws(() => parseQrels("a b\n", "x.tsv"), invalid(/x\.tsv:1: not a qrels file/));
  assert.throws(() => parseQrels("q1\td1\t1\nq1\td1\t2\n", "x.tsv"), invalid(/x\.tsv:2: query q1 judges document d1 twice/));
  assert.throws(() => parseQrels("query-id\tcorpus-id\tscore\n", "x.tsv"), invalid(/no judgments/));
  assert.equal(parseQrels("q1\td1\t1\nq1\td1\t1\n", "x.tsv").get("q1")!.size, 1);
  assert.throws(() => readQrelsFile(join(dir, "missing.tsv")), (e) => isSpladeError(e, "FILE_NOT_FOUND"));
});

test("TREC run: file order kept, rank column not used", async () => {
  const path = join(dir, "run.trec");
  writeFileSync(path, "q1 Q0 d2 1 3.5 tag\nq1 Q0 d1 2 7 tag\nq2 Q0 d1 1 -1e-3 tag\n");
  const run = await readRunFile(path);
  assert.deepEqual(run.get("q1"), [
    { docId: "d2", score: 3.5 },
    { docId: "d1", score: 7 },
  ]);
  assert.deepEqual(run.get("q2"), [{ docId: "d1", score: -0.001 }]);
  writeFileSync(join(dir, "empty.trec"), "");
  assert.equal((await readRunFile(join(dir, "empty.trec"))).size, 0);
});

test("run errors name the file and line", async () => {
  assert.throws(() => parseRun("q1 Q0 d1 1 2.0\n", "r"), invalid(/r:1: expected 6 fields/));
  assert.throws(() => parseRun("q1 Q0 d1 1 high t\n", "r"), invalid(/r:1: score "high" is not a number/));
  assert.throws(() => parseRun("q1 Q0 d1 x 1 t\n", "r"), invalid(/r:1: rank "x" is not an integer/));
  assert.throws(() => parseRun("q1 Q0 d1 1 1 t\nq1 Q0 d1 2 0.5 t\n", "r"), invalid(/r:2: document d1 appears twice/));
  const path = join(dir, "bad.trec");
  writeFileSync(path, "q1 Q0 d1 1 1 t\nq1 Q0 d2 2\n");
  await assert.rejects(readRunFile(path), (e) => isSpladeError(e, "INVALID_FILE") && e.message.startsWith(`${path}:2:`));
  await assert.rejects(readRunFile(join(dir, "nope.trec")), (e) => isSpladeError(e, "FILE_NOT_FOUND"));
});
