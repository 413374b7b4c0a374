// BEIR folders: layout, title joining, numeric ids, split selection and clear errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBeirDataset } from "../../src/eval/beir.js";
import { evaluatedQueries } from "../../src/eval/dataset.js";
import { isSpladeError } from "../../src/util/errors.js";
import { tempDir } from "../helpers/temp-dir.js";

function beirFolder(files: Record<string, string>): string {
  const dir = tempDir("splade-beir-");
  mkdirSync(join(dir, "qrels"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const corpus = [
  { _id: "d1", title: "Cats", text: "purr a lot." },
  { _id: 2, title: "", text: "No title here." },
  { _id: "d3", text: "Missing title." },
]
  .map((r) => JSON.stringify(r))
  .join("\n");
const queries = ['{"_id": "q1", "text": "why do cats purr"}', '{"_id": "q2", "text": "untitled"}', '{"_id": "q3", "text": "unjudged"}'].join("\n");

test("loads corpus, queries and the split's qrels; --title joins title and text with a space", async () => {
  const dir = beirFolder({
    "corpus.jsonl": corpus + "\n",
    "queries.jsonl": queries,
    "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\t2\t1\n",
    "qrels/dev.tsv": "query-id\tcorpus-id\tscore\nq3\td3\t1\n",
  });
  const plain = await loadBeirDataset(dir);
  assert.deepEqual(plain.corpus.ids, ["d1", "2", "d3"]);
  assert.deepEqual(plain.corpus.texts, ["purr a lot.", "No title here.", "Missing title."]);
  const titled = await loadBeirDataset(dir, { title: true, name: "toy" });
  assert.equal(titled.name, "toy");
  assert.deepEqual(titled.corpus.texts, ["Cats purr a lot.", "No title here.", "Missing title."]);
  assert.deepEqual(evaluatedQueries(plain).ids, ["q1", "q2"]);
  const dev = await loadBeirDataset(dir, { split: "dev" });
  assert.deepEqual(evaluatedQueries(dev).ids, ["q3"]);
});

test("errors name the file, the line and the problem", async () => {
  const ok = { "queries.jsonl": queries, "qrels/test.tsv": "q1\td1\t1\n" };
  const notFound = (pattern: RegExp) => (e: unknown) => isSpladeError(e, "FILE_NOT_FOUND") && pattern.test(e.message);
  const invalid = (pattern: RegExp) => (e: unknown) => isSpladeError(e, "INVALID_FILE") && pattern.test(e.message);
  await assert.rejects(loadBeirDataset(join(tmpdir(), "no-such-beir-folder")), notFound(/BEIR folder/));
  await assert.rejects(loadBeirDataset(beirFolder({ "corpus.jsonl": corpus, ...ok }), { split: "train" }), notFound(/train\.tsv not found .*available: test/));
  await assert.rejects(loadBeirDataset(beirFolder(ok)), notFound(/corpus\.jsonl not found/));
  await assert.rejects(loadBeirDataset(beirFolder({ "corpus.jsonl": '{"_id": "a", "text": "x"}\n{"_id": "b", "text": ', ...ok })), invalid(/corpus\.jsonl:2: not valid JSON/));
  await assert.rejects(loadBeirDataset(beirFolder({ "corpus.jsonl": '{"_id": "a"}', ...ok })), invalid(/corpus\.jsonl:1: "text" must be a string/));
  await assert.rejects(loadBeirDataset(beirFolder({ "corpus.jsonl": '{"text": "x"}', ...ok })), invalid(/corpus\.jsonl:1: "_id" must be/));
  await assert.rejects(
    loadBeirDataset(beirFolder({ "corpus.jsonl": '{"_id": "a", "text": "x"}\n{"_id": "a", "text": "y"}', ...ok })),
    invalid(/corpus\.jsonl:2: duplicate _id a/),
  );
  await assert.rejects(loadBeirDataset(beirFolder({ "corpus.jsonl": "[1]", ...ok })), invalid(/expected a JSON object/));
});
