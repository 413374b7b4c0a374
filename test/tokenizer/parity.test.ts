/**
 * Whole-golden parity: every line of test/fixtures/tokenizer.jsonl (ids from the Rust `tokenizers` crate 0.22,
 * [CLS]/[SEP] included, no truncation) must come out identical, through both fixture models' tokenizer.json
 * and through the vocab.txt + tokenizer_config.json fallback. Failures report the count and the first
 * mismatch with its text, expected and actual tokens (STYLE.md: whole arrays, first bad index).
 * Truncation is checked against the encode goldens' `input_ids` (prompt prepended, max_seq_length).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const MODELS = ["tiny-bert-splade", "tiny-distilbert-splade"] as const;

interface GoldenLine {
  text: string;
  ids: number[];
  tokens: string[];
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as T);
}

const golden = readJsonl<GoldenLine>(join(FIXTURES, "tokenizer.jsonl"));

/** "" when all lines match, else the count and the first mismatch in detail. */
function parityReport(tokenizer: BertTokenizer): string {
  let matching = 0;
  let first = "";
  golden.forEach((line, i) => {
    const ids = tokenizer.encode(line.text);
    if (ids.length === line.ids.length && ids.every((id, k) => id === line.ids[k])) {
      matching++;
      return;
    }
    if (first !== "") return;
    const at = ids.findIndex((id, k) => id !== line.ids[k]);
    const index = at === -1 ? Math.min(ids.length, line.ids.length) : at;
    const actual = ids.map((id) => tokenizer.idToToken(id)).join(" ");
    first =
      `line ${i + 1} ${JSON.stringify(line.text.slice(0, 120))}: first difference at index ${index}\n` +
      `  expected ${line.tokens.join(" ").slice(0, 400)}\n` +
      `  actual   ${actual.slice(0, 400)}`;
  });
  return matching === golden.length ? "" : `${matching}/${golden.length} lines match; ${first}`;
}

test(`the golden has lines to check (${golden.length})`, () => {
  assert.ok(golden.length >= 200, `only ${golden.length} lines in tokenizer.jsonl`);
});

for (const model of MODELS) {
  test(`${model}/tokenizer.json reproduces every tokenizer.jsonl line`, () => {
    assert.equal(parityReport(BertTokenizer.fromFile(join(FIXTURES, model, "tokenizer.json"))), "");
  });

  test(`${model}/vocab.txt (defaults) reproduces every tokenizer.jsonl line`, () => {
    assert.equal(parityReport(BertTokenizer.fromVocabFile(join(FIXTURES, model, "vocab.txt"))), "");
  });

  test(`${model}: fromModelDir without tokenizer.json falls back to vocab.txt + tokenizer_config.json`, () => {
    const dir = tempDir("splade-tok-");
    for (const file of ["vocab.txt", "tokenizer_config.json"])
      copyFileSync(join(FIXTURES, model, file), join(dir, file));
    assert.equal(parityReport(BertTokenizer.fromModelDir(dir)), "");
  });

  test(`${model}: tokenizer.json and vocab.txt give the same vocabulary and special ids`, () => {
    const fromJson = BertTokenizer.fromModelDir(join(FIXTURES, model));
    const fromTxt = BertTokenizer.fromVocabFile(join(FIXTURES, model, "vocab.txt"));
    assert.equal(fromJson.vocabSize, fromTxt.vocabSize);
    for (let id = 0; id < fromJson.vocabSize; id++) {
      if (fromJson.idToToken(id) !== fromTxt.idToToken(id))
        assert.fail(`id ${id}: ${fromJson.idToToken(id)} vs ${fromTxt.idToToken(id)}`);
    }
    for (const key of ["clsId", "sepId", "padId", "unkId"] as const) assert.equal(fromJson[key], fromTxt[key], key);
  });
}

for (const [model, maxLength, prompts] of [
  ["tiny-bert-splade", 128, { query: "query: ", document: "" }],
  ["tiny-distilbert-splade", 256, { query: "", document: "" }],
] as const) {
  test(`${model}: truncation to max_seq_length ${maxLength} matches the encode goldens' input_ids`, () => {
    const tokenizer = BertTokenizer.fromFile(join(FIXTURES, model, "tokenizer.json"));
    const rows = readJsonl<{ task: "query" | "document"; text: string; input_ids: number[] }>(
      join(FIXTURES, `${model}.encode.jsonl`),
    );
    let truncated = 0;
    rows.forEach((row, i) => {
      // sentence-transformers strips prompt + text; whitespace at the ends never yields tokens, so it is skipped.
      const ids = tokenizer.encode(prompts[row.task] + row.text, { maxLength });
      if (ids.length === maxLength) truncated++;
      assert.deepEqual(ids, row.input_ids, `row ${i + 1} (${row.task}) ${JSON.stringify(row.text.slice(0, 80))}`);
    });
    assert.ok(truncated > 0, "no golden row was long enough to be truncated");
  });
}
