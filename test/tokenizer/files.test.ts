/**
 * Loading: missing and malformed tokenizer.json / vocab.txt / tokenizer_config.json give a SpladeError whose
 * code says what is wrong and whose message names the file; pipelines other than BERT's are UNSUPPORTED
 * rather than tokenized some other way; tokenizer_config.json options reach the vocab.txt path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { isSpladeError, type SpladeErrorCode } from "../../src/util/errors.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const TOKENIZER_JSON = JSON.parse(readFileSync(`${FIXTURES}tiny-bert-splade/tokenizer.json`, "utf8")) as Record<
  string,
  any
>;
const VOCAB_TXT = readFileSync(`${FIXTURES}tiny-bert-splade/vocab.txt`, "utf8");

const dir = tempDir("splade-tok-files-");
let counter = 0;

/** Writes `content` to a fresh file and returns its path. */
function file(name: string, content: string | Buffer): string {
  const sub = join(dir, String(counter++));
  mkdirSync(sub);
  const path = join(sub, name);
  writeFileSync(path, content);
  return path;
}

function tokenizerJsonWith(edit: (json: Record<string, any>) => void): string {
  const json = structuredClone(TOKENIZER_JSON);
  edit(json);
  return file("tokenizer.json", JSON.stringify(json));
}

function assertError(fn: () => unknown, code: SpladeErrorCode, path: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isSpladeError(e, code), `expected ${code}, got ${String(e)}`);
    assert.ok(e.message.includes(path), `message does not name ${path}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test("a missing tokenizer.json or vocab.txt is FILE_NOT_FOUND naming it", () => {
  const missing = join(dir, "nope", "tokenizer.json");
  assertError(() => BertTokenizer.fromFile(missing), "FILE_NOT_FOUND", missing);
  const missingVocab = join(dir, "nope", "vocab.txt");
  assertError(() => BertTokenizer.fromVocabFile(missingVocab), "FILE_NOT_FOUND", missingVocab);
  const empty = mkdtempSync(join(dir, "empty-"));
  assertError(() => BertTokenizer.fromModelDir(empty), "FILE_NOT_FOUND", empty);
});

test("tokenizer.json that is not JSON, or not UTF-8, is INVALID_FILE", () => {
  const truncated = file("tokenizer.json", JSON.stringify(TOKENIZER_JSON).slice(0, 5000));
  assertError(() => BertTokenizer.fromFile(truncated), "INVALID_FILE", truncated, /JSON/);
  const binary = file("tokenizer.json", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
  assertError(() => BertTokenizer.fromFile(binary), "INVALID_FILE", binary, /UTF-8/);
});

test("tokenizer.json with missing or mistyped fields is INVALID_FILE naming the field", () => {
  const cases: [(j: Record<string, any>) => void, RegExp][] = [
    [(j) => delete j.model.vocab, /model\.vocab/],
    [(j) => (j.model.vocab.hello = "7592"), /model\.vocab\["hello"\]/],
    [(j) => (j.model.unk_token = "[NOPE]"), /unk_token/],
    [(j) => (j.normalizer.lowercase = "yes"), /normalizer\.lowercase/],
    [(j) => delete j.added_tokens[0].content, /added_tokens\[0\]\.content/],
    [(j) => (j.post_processor.single = [j.post_processor.single[0]]), /Sequence/],
    [(j) => Object.assign(j, { model: [] }), /model/],
  ];
  for (const [edit, message] of cases) {
    const path = tokenizerJsonWith(edit);
    assertError(() => BertTokenizer.fromFile(path), "INVALID_FILE", path, message);
  }
});

test("pipelines other than BERT's are UNSUPPORTED", () => {
  const cases: [(j: Record<string, any>) => void, RegExp][] = [
    [(j) => (j.model.type = "BPE"), /model\.type BPE/],
    [(j) => (j.normalizer = null), /normalizer is null/],
    [(j) => (j.pre_tokenizer = { type: "Whitespace" }), /pre_tokenizer\.type Whitespace/],
    [(j) => (j.post_processor = { type: "RobertaProcessing" }), /post_processor\.type/],
    [(j) => (j.added_tokens[4].lstrip = true), /lstrip/],
  ];
  for (const [edit, message] of cases) {
    const path = tokenizerJsonWith(edit);
    assertError(() => BertTokenizer.fromFile(path), "UNSUPPORTED", path, message);
  }
});

test("tokenizer.json: strip_accents true/false overrides lowercase; BertProcessing and padding.pad_id are read", () => {
  // bert-base-uncased has no "é": kept accents make it unknown, stripped ones give "e".
  const keepAccents = BertTokenizer.fromFile(tokenizerJsonWith((j) => (j.normalizer.strip_accents = false)));
  assert.deepEqual(keepAccents.tokenizeToIds("é e"), [100, 1041]);
  const stripAccents = BertTokenizer.fromFile(tokenizerJsonWith((j) => (j.normalizer.strip_accents = true)));
  assert.deepEqual(stripAccents.tokenizeToIds("é e"), [1041, 1041]);
  const bertProcessing = BertTokenizer.fromFile(
    tokenizerJsonWith((j) => {
      j.post_processor = { type: "BertProcessing", sep: ["[SEP]", 102], cls: ["[CLS]", 101] };
      j.padding = { pad_id: 5 };
    }),
  );
  assert.deepEqual(bertProcessing.encode("hello"), [101, 7592, 102]);
  assert.equal(bertProcessing.padId, 5);
});

test("vocab.txt that is empty, not UTF-8, or lacks a special token is INVALID_FILE", () => {
  const empty = file("vocab.txt", "");
  assertError(() => BertTokenizer.fromVocabFile(empty), "INVALID_FILE", empty, /empty/);
  const binary = file("vocab.txt", Buffer.from([0x5b, 0x50, 0x41, 0x44, 0x5d, 0x0a, 0xc3, 0x28]));
  assertError(() => BertTokenizer.fromVocabFile(binary), "INVALID_FILE", binary, /UTF-8/);
  const noUnk = file("vocab.txt", VOCAB_TXT.replace("[UNK]\n", "[UNKNOWN]\n"));
  assertError(() => BertTokenizer.fromVocabFile(noUnk), "INVALID_FILE", noUnk, /\[UNK\]/);
  const noCls = file("vocab.txt", VOCAB_TXT.replace("[CLS]\n", "[CLASS]\n"));
  assertError(() => BertTokenizer.fromVocabFile(noCls), "INVALID_FILE", noCls, /\[CLS\]/);
});

test("vocab.txt with CRLF line ends reads like the LF original (trailing White_Space is trimmed)", () => {
  const crlf = BertTokenizer.fromVocabFile(file("vocab.txt", VOCAB_TXT.replaceAll("\n", "\r\n")));
  const lf = BertTokenizer.fromVocabFile(`${FIXTURES}tiny-bert-splade/vocab.txt`);
  assert.equal(crlf.vocabSize, lf.vocabSize);
  assert.deepEqual(crlf.encode("Hello, naïve world!"), lf.encode("Hello, naïve world!"));
});

test("tokenizer_config.json options reach the vocab.txt fallback; bad values are INVALID_FILE", () => {
  const cased = mkdtempSync(join(dir, "cased-"));
  writeFileSync(join(cased, "vocab.txt"), VOCAB_TXT);
  writeFileSync(
    join(cased, "tokenizer_config.json"),
    JSON.stringify({ do_lower_case: false, unk_token: { content: "[UNK]" } }),
  );
  const casedTokenizer = BertTokenizer.fromModelDir(cased);
  // bert-base-uncased has no capital letters, so a cased, accent-keeping pipeline makes "Hello" unknown.
  assert.deepEqual(casedTokenizer.tokenizeToIds("Hello hello"), [100, 7592]);
  assert.deepEqual(BertTokenizer.fromModelDir(cased, { doLowerCase: true }).tokenizeToIds("Hello hello"), [7592, 7592]);

  const bad = mkdtempSync(join(dir, "bad-"));
  writeFileSync(join(bad, "vocab.txt"), VOCAB_TXT);
  writeFileSync(join(bad, "tokenizer_config.json"), JSON.stringify({ do_lower_case: "yes" }));
  assertError(
    () => BertTokenizer.fromModelDir(bad),
    "INVALID_FILE",
    join(bad, "tokenizer_config.json"),
    /do_lower_case/,
  );
});
