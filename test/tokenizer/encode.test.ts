/**
 * The BertTokenizer surface: special ids, id ↔ token, encode's truncation (HF truncation=True: the first
 * maxLength-2 wordpieces, then [SEP]) and encodeBatch's padding ([B, T] BigInt64Array, T = longest row after
 * truncation, pad id 0 with mask 0).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { isSpladeError } from "../../src/util/errors.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const tokenizer = BertTokenizer.fromFile(`${FIXTURES}tiny-bert-splade/tokenizer.json`);
const LONG = "The quick brown fox jumps over the lazy dog near the riverbank at dawn. ".repeat(10);

test("special ids and vocabulary size are bert-base-uncased's", () => {
  assert.equal(tokenizer.vocabSize, 30522);
  assert.deepEqual([tokenizer.padId, tokenizer.unkId, tokenizer.clsId, tokenizer.sepId], [0, 100, 101, 102]);
  assert.equal(tokenizer.tokenToId("[MASK]"), 103);
  assert.equal(tokenizer.tokenToId("hello"), 7592);
  assert.equal(tokenizer.tokenToId("no-such-token"), undefined);
  assert.equal(tokenizer.idToToken(7592), "hello");
  assert.equal(tokenizer.idToToken(1), "[unused0]");
});

test("idToToken refuses ids outside the vocabulary", () => {
  for (const id of [-1, 30522, 1.5, Number.NaN]) {
    assert.throws(
      () => tokenizer.idToToken(id),
      (e) => isSpladeError(e, "NOT_FOUND"),
      String(id),
    );
  }
});

test("encode wraps tokenizeToIds in [CLS] … [SEP]", () => {
  const text = "Hello, World!";
  assert.deepEqual(tokenizer.tokenizeToIds(text), [7592, 1010, 2088, 999]);
  assert.deepEqual(tokenizer.encode(text), [101, 7592, 1010, 2088, 999, 102]);
  assert.deepEqual(tokenizer.encode(""), [101, 102]);
  assert.deepEqual(tokenizer.tokenizeToIds("   "), []);
});

test("truncation keeps the first maxLength-2 wordpieces, then [SEP]", () => {
  const pieces = tokenizer.tokenizeToIds(LONG);
  assert.ok(pieces.length > 100);
  for (const maxLength of [2, 3, 10, 64, pieces.length + 1, pieces.length + 2, pieces.length + 50]) {
    const ids = tokenizer.encode(LONG, { maxLength });
    const kept = Math.min(pieces.length, maxLength - 2);
    assert.deepEqual(ids, [101, ...pieces.slice(0, kept), 102], `maxLength ${maxLength}`);
  }
});

test("maxLength must leave room for [CLS] and [SEP]", () => {
  for (const maxLength of [1, 0, -5, 2.5, Number.NaN]) {
    assert.throws(
      () => tokenizer.encode("hello", { maxLength }),
      (e) => isSpladeError(e, "INVALID_ARGUMENT"),
      String(maxLength),
    );
  }
});

test("text that is not a string is refused", () => {
  assert.throws(
    () => tokenizer.encode(42 as unknown as string),
    (e) => isSpladeError(e, "INVALID_ARGUMENT"),
  );
});

test("encodeBatch pads to the longest row with [PAD] and mask 0", () => {
  const texts = ["Hello, World!", "", "canine ultrasound cost"];
  const batch = tokenizer.encodeBatch(texts);
  const rows = texts.map((t) => tokenizer.encode(t));
  assert.equal(batch.batchSize, 3);
  assert.equal(batch.seqLen, 6);
  assert.deepEqual(batch.lengths, [6, 2, 5]);
  assert.equal(batch.inputIds.length, 18);
  assert.equal(batch.attentionMask.length, 18);
  rows.forEach((row, b) => {
    for (let t = 0; t < batch.seqLen; t++) {
      assert.equal(
        batch.inputIds[b * batch.seqLen + t],
        BigInt(t < row.length ? row[t] : tokenizer.padId),
        `[${b}, ${t}]`,
      );
      assert.equal(batch.attentionMask[b * batch.seqLen + t], t < row.length ? 1n : 0n, `mask [${b}, ${t}]`);
    }
  });
});

test("encodeBatch truncates each row before padding: T is the longest truncated row", () => {
  const batch = tokenizer.encodeBatch([LONG, "short"], { maxLength: 16 });
  assert.equal(batch.seqLen, 16);
  assert.deepEqual(batch.lengths, [16, 3]);
  assert.deepEqual([...batch.inputIds.slice(0, 16)].map(Number), tokenizer.encode(LONG, { maxLength: 16 }));
  assert.deepEqual([...batch.inputIds.slice(16)].map(Number), [101, 2460, 102, ...new Array(13).fill(0)]);
  assert.equal(
    batch.attentionMask.reduce((a, b) => a + b, 0n),
    19n,
  );
});

test("encodeBatch of no texts is an empty [0, 0] batch", () => {
  const batch = tokenizer.encodeBatch([]);
  assert.deepEqual([batch.batchSize, batch.seqLen, batch.inputIds.length, batch.lengths.length], [0, 0, 0, 0]);
});

test("tokenizing is deterministic across the word cache (second pass equals the first)", () => {
  const fresh = BertTokenizer.fromFile(`${FIXTURES}tiny-bert-splade/tokenizer.json`);
  const first = fresh.tokenizeToIds(LONG);
  assert.deepEqual(fresh.tokenizeToIds(LONG), first);
  assert.deepEqual(tokenizer.tokenizeToIds(LONG), first);
});

test("5,000 documents of ~300 wordpieces tokenize in well under two seconds", () => {
  const words = LONG.split(" ");
  const docs = Array.from({ length: 5000 }, (_, d) =>
    Array.from(
      { length: 220 },
      (_, i) => `${words[(d * 7 + i * 13) % words.length]}${i % 5 === 0 ? d % 997 : ""}`,
    ).join(" "),
  );
  const fresh = BertTokenizer.fromFile(`${FIXTURES}tiny-bert-splade/tokenizer.json`);
  const start = performance.now();
  let tokens = 0;
  for (const doc of docs) tokens += fresh.tokenizeToIds(doc).length;
  const elapsedMs = performance.now() - start;
  assert.ok(tokens > 5000 * 250, `only ${tokens} tokens`);
  assert.ok(elapsedMs < 2000, `took ${elapsedMs.toFixed(0)} ms`);
});
