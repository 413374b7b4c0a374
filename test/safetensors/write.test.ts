/**
 * Writing: byte-exact against the reference implementation's own serialization tests, upstream's tensor
 * order (dtype alignment descending, then name), round trips through the reader (synthetic tensors of
 * several dtypes, and both fixture checkpoints), and argument validation.
 * Upstream goldens: huggingface/safetensors `safetensors/src/tensor.rs` (`test_serialization`,
 * `test_empty`, `test_serialization_forced_alignement`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";


import { join } from "node:path";
import { encodeSafetensors, writeSafetensors } from "../../src/safetensors/write.js";
import { readSafetensors } from "../../src/safetensors/read.js";
import { dtypeSizeBytes } from "../../src/safetensors/dtypes.js";
import { tempDir } from "../helpers/temp-dir.js";

function headerOf(chunks: Uint8Array[]): { length: bigint; text: string } {
  return { length: Buffer.from(chunks[0]).readBigUInt64LE(0), text: Buffer.from(chunks[1]).toString("utf8") };
}

test("byte-identical to upstream's serialization goldens", () => {
  const data = Float32Array.of(0, 1, 2, 3, 4, 5);
  const one = encodeSafetensors([{ name: "attn.0", dtype: "F32", shape: [1, 2, 3], data }]);
  assert.deepEqual(headerOf(one), { length: 64n, text: `{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}` });
  assert.deepEqual(Buffer.concat(one).subarray(72), Buffer.from(data.buffer));

  const aligned = encodeSafetensors({ attn0: { dtype: "F32", shape: [1, 1, 2, 3], data } });
  assert.deepEqual(headerOf(aligned), {
    length: 72n,
    text: `{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       `,
  });

  assert.deepEqual(headerOf(encodeSafetensors([])), { length: 8n, text: "{}      " });
  assert.deepEqual(headerOf(encodeSafetensors([], { framework: "pt" })), {
    length: 40n,
    text: `{"__metadata__":{"framework":"pt"}}     `,
  });
});

test("tensors ordered by descending dtype alignment, then by name; deterministic", () => {
  const u8 = (n: number) => new Uint8Array(n);
  const tensors = [
    { name: "b", dtype: "F32" as const, shape: [1], data: Float32Array.of(1) },
    { name: "mask", dtype: "BOOL" as const, shape: [3], data: u8(3) },
    { name: "a", dtype: "F32" as const, shape: [1], data: Float32Array.of(2) },
    { name: "half", dtype: "F16" as const, shape: [1], data: u8(2) },
    { name: "ids", dtype: "I64" as const, shape: [1], data: u8(8) },
  ];
  const chunks = encodeSafetensors(tensors);
  const header = JSON.parse(headerOf(chunks).text) as Record<string, { data_offsets: number[] }>;
  assert.deepEqual(Object.keys(header), ["ids", "a", "b", "half", "mask"]);
  assert.deepEqual(header.a.data_offsets, [8, 12]);
  assert.deepEqual(Buffer.concat(encodeSafetensors([...tensors].reverse())), Buffer.concat(chunks));
});

test("round trip through the reader: F32, F16, BF16, I64, empty tensors, metadata", (t) => {
  const path = join(tempDir("st-write-"), "out.safetensors");
  const weights = Float32Array.from({ length: 12 }, (_, i) => Math.fround(Math.sin(i) * 1e3));
  writeSafetensors(
    path,
    [
      { name: "w", dtype: "F32", shape: [3, 4], data: weights },
      { name: "h", dtype: "F16", shape: [2], data: new Uint8Array(Uint16Array.of(0x3c00, 0xc000).buffer) },
      { name: "bf", dtype: "BF16", shape: [2], data: new Uint8Array(Uint16Array.of(0x3f80, 0x7f80).buffer) },
      { name: "ids", dtype: "I64", shape: [2], data: new Uint8Array(BigInt64Array.of(-1n, 7n).buffer) },
      { name: "empty", dtype: "F32", shape: [0, 5], data: new Float32Array(0) },
    ],
    { format: "pt", note: "ünïcode" },
  );
  const file = readSafetensors(path);
  assert.deepEqual(file.metadata, { format: "pt", note: "ünïcode" });
  assert.deepEqual(file.float32("w"), weights);
  assert.deepEqual(file.info("w").shape, [3, 4]);
  assert.deepEqual([...file.float32("h")], [1, -2]);
  assert.deepEqual([...file.float32("bf")], [1, Infinity]);
  assert.deepEqual([...new BigInt64Array(file.raw("ids").buffer)], [-1n, 7n]);
  assert.deepEqual(file.float32("empty"), new Float32Array(0));
  for (const name of file.names()) {
    const info = file.info(name);
    assert.equal(info.byteOffset % dtypeSizeBytes(info.dtype), 0, `${name} is aligned to its element size`);
  }
});

test("round trip of both fixture checkpoints keeps every tensor and the metadata", (t) => {
  const dir = tempDir("st-write-");
  for (const model of ["tiny-distilbert-splade", "tiny-bert-splade"]) {
    const original = readSafetensors(`test/fixtures/${model}/model.safetensors`);
    const copy = join(dir, `${model}.safetensors`);
    writeSafetensors(
      copy,
      original.names().map((name) => ({ name, dtype: "F32" as const, shape: original.info(name).shape, data: original.float32(name) })),
      original.metadata,
    );
    const reread = readSafetensors(copy);
    assert.deepEqual(reread.names().sort(), original.names().sort());
    for (const name of original.names()) {
      assert.deepEqual(reread.info(name).shape, original.info(name).shape);
      assert.deepEqual(reread.raw(name), original.raw(name), name);
    }
  }
});

test("invalid arguments → INVALID_ARGUMENT", () => {
  const f = Float32Array.of(1, 2);
  assert.throws(() => encodeSafetensors([{ name: "x", dtype: "F32", shape: [3], data: f }]), { code: "INVALID_ARGUMENT", message: /'x': 2 values for shape \[3\]/ });
  assert.throws(() => encodeSafetensors([{ name: "x", dtype: "F16", shape: [2], data: new Uint8Array(3) }]), { code: "INVALID_ARGUMENT", message: /'x': 3 bytes/ });
  assert.throws(() => encodeSafetensors([{ name: "x", dtype: "F32", shape: [2], data: f }, { name: "x", dtype: "F32", shape: [2], data: f }]), { code: "INVALID_ARGUMENT", message: /twice/ });
  assert.throws(() => encodeSafetensors([{ name: "__metadata__", dtype: "F32", shape: [2], data: f }]), { code: "INVALID_ARGUMENT" });
  assert.throws(() => encodeSafetensors([{ name: "x", dtype: "F32", shape: [1.5], data: f }]), { code: "INVALID_ARGUMENT", message: /shape/ });
});
