/**
 * Reading: the two fixture checkpoints (known shapes, tied matrices equal), and every malformed-file case
 * (truncated, bad header length, bad UTF-8/JSON, overlapping / gapped / mis-sized offsets, trailing bytes)
 * → INVALID_FILE naming the file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors } from "../../src/safetensors/read.js";
import { tempDir } from "../helpers/temp-dir.js";

const DISTILBERT = "test/fixtures/tiny-distilbert-splade/model.safetensors";
const BERT = "test/fixtures/tiny-bert-splade/model.safetensors";

test("reads the DistilBERT fixture: names, shapes, metadata, data", () => {
  const file = readSafetensors(DISTILBERT);
  assert.deepEqual(file.metadata, { format: "pt" });
  assert.equal(file.names().length, 41);
  assert.ok(!file.has("vocab_projector.weight"), "tied to the word embeddings, absent from the file");
  const info = file.info("distilbert.embeddings.word_embeddings.weight");
  assert.deepEqual([info.dtype, info.shape], ["F32", [30522, 32]]);
  assert.equal(info.byteLength, 30522 * 32 * 4);
  assert.deepEqual(file.info("vocab_projector.bias").shape, [30522]);
  assert.deepEqual(file.info("distilbert.transformer.layer.1.ffn.lin1.weight").shape, [64, 32]);
  const embeddings = file.float32("distilbert.embeddings.word_embeddings.weight");
  assert.equal(embeddings.length, 30522 * 32);
  assert.ok(embeddings.every(Number.isFinite));
  assert.ok(embeddings.some((x) => x !== 0));
});

test("reads the BERT fixture: the decoder matrix is a copy of the word embeddings", () => {
  const file = readSafetensors(BERT);
  assert.deepEqual(file.info("bert.embeddings.word_embeddings.weight").shape, [30522, 32]);
  assert.deepEqual(file.info("bert.encoder.layer.2.intermediate.dense.weight").shape, [48, 32]);
  assert.deepEqual(file.info("bert.embeddings.token_type_embeddings.weight").shape, [2, 32]);
  assert.deepEqual(file.float32("cls.predictions.decoder.weight"), file.float32("bert.embeddings.word_embeddings.weight"));
  assert.deepEqual(file.raw("cls.predictions.bias"), new Uint8Array(file.float32("cls.predictions.bias").buffer));
});

test("unknown tensor → NOT_FOUND; missing file → FILE_NOT_FOUND; float32 of an integer tensor → UNSUPPORTED", (t) => {
  const file = readSafetensors(DISTILBERT);
  assert.throws(() => file.info("nope"), { code: "NOT_FOUND", message: /model\.safetensors.*'nope'/ });
  assert.throws(() => readSafetensors("test/fixtures/does-not-exist.safetensors"), {
    code: "FILE_NOT_FOUND",
    message: /does-not-exist\.safetensors/,
  });
  const dir = tempDir("st-read-");
  const path = join(dir, "ids.safetensors");
  writeFileSync(path, build({ ids: { dtype: "I64", shape: [2], data_offsets: [0, 16] } }, new Uint8Array(16)));
  assert.throws(() => readSafetensors(path).float32("ids"), { code: "UNSUPPORTED", message: /'ids' is I64/ });
  assert.equal(readSafetensors(path).raw("ids").byteLength, 16);
});

/** A safetensors file from a header (object or verbatim text), data bytes and an optional length override. */
function build(header: object | string, data: Uint8Array, headerLength?: bigint): Uint8Array {
  const json = Buffer.from(typeof header === "string" ? header : JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(headerLength ?? BigInt(json.byteLength));
  return Buffer.concat([prefix, json, data]);
}

const VALID_HEADER = {
  a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
  b: { dtype: "F32", shape: [2, 2], data_offsets: [8, 24] },
};

test("malformed files → INVALID_FILE naming the file and the problem", (t) => {
  const dir = tempDir("st-bad-");
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ["empty", new Uint8Array(0), /too short/],
    ["truncated", build(VALID_HEADER, new Uint8Array(20)), /truncated: tensor 'b' ends at byte \d+ but the file has \d+ bytes/],
    ["header-past-end", build(VALID_HEADER, new Uint8Array(24), 10_000n), /header length 10000 runs past the end/],
    ["header-huge", build(VALID_HEADER, new Uint8Array(24), 1n << 62n), /over the 100000000-byte limit/],
    ["bad-json", build(`{"a": {"dtype": "F32",`, new Uint8Array(0)), /not valid JSON/],
    ["bad-utf8", build("{}", new Uint8Array(0)).fill(0xff, 8, 10), /not valid UTF-8/],
    ["not-object", build("[1, 2]", new Uint8Array(0)), /not a JSON object/],
    [
      "overlap",
      build({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] }, b: { dtype: "F32", shape: [2], data_offsets: [8, 16] } }, new Uint8Array(16)),
      /tensor 'b' .*overlaps tensor 'a'/,
    ],
    ["gap", build({ a: { dtype: "F32", shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)), /gap .*'a' \(data bytes 4..12\) starts after/],
    ["size-mismatch", build({ a: { dtype: "F16", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /'a'.*span 8 bytes but F16 \[3\] needs 6/],
    ["bad-dtype", build({ a: { dtype: "F7", shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /'a': unknown dtype "F7"/],
    ["bad-shape", build({ a: { dtype: "U8", shape: [-1], data_offsets: [0, 1] } }, new Uint8Array(1)), /'a': shape/],
    ["bad-offsets", build({ a: { dtype: "U8", shape: [1], data_offsets: [1, 0] } }, new Uint8Array(1)), /'a': data_offsets/],
    ["bad-metadata", build({ __metadata__: { n: 1 } }, new Uint8Array(0)), /"__metadata__" entry 'n'/],
    ["trailing", build(VALID_HEADER, new Uint8Array(30)), /6 unexpected bytes after the last tensor/],
  ];
  for (const [name, bytes, problem] of cases) {
    const path = join(dir, `${name}.safetensors`);
    writeFileSync(path, bytes);
    assert.throws(
      () => readSafetensors(path),
      (e: Error & { code?: string }) =>
        e.code === "INVALID_FILE" && e.message.startsWith(path) && problem.test(e.message) ? true : assert.fail(`${name}: ${e.message}`),
    );
  }
});

test("a file changed after opening is reported, not misread", (t) => {
  const dir = tempDir("st-changed-");
  const path = join(dir, "m.safetensors");
  writeFileSync(path, build(VALID_HEADER, new Uint8Array(24)));
  const file = readSafetensors(path);
  writeFileSync(path, build(VALID_HEADER, new Uint8Array(20)));
  assert.throws(() => file.float32("a"), { code: "INVALID_FILE", message: /changed on disk/ });
});
