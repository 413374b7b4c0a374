/**
 * The pytorch_model.bin reader on hand-made archives: a strided (transposed) view is gathered in row-major
 * order, F16/BF16 storages widen exactly, tied weights read one storage, and the refusals (legacy format,
 * big-endian, a storage of the wrong size) are typed errors naming the file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TorchCheckpoint } from "../../src/pytorch/index.js";
import { modelDir } from "../parity/golden.js";
import { writeZip } from "../helpers/zip.js";
import { tempDir } from "../helpers/temp-dir.js";

const enc = new TextEncoder();
const str = (s: string) => [0x58, s.length, 0, 0, 0, ...enc.encode(s)]; // BINUNICODE (short ASCII)
const global = (module: string, name: string) => [0x63, ...enc.encode(`${module}\n${name}\n`)];
const MARK = 0x28, TUPLE = 0x74, TUPLE2 = 0x86, REDUCE = 0x52, BINPERSID = 0x51, NEWFALSE = 0x89, EMPTY_TUPLE = 0x29, SETITEMS = 0x75, STOP = 0x2e;
const int = (n: number) => [0x4b, n]; // BININT1

/** data.pkl of an OrderedDict {name: tensor view (shape, stride) of one storage of `numel` elements}. */
function statePickle(name: string, storageClass: string, numel: number, shape: [number, number], stride: [number, number]): Uint8Array {
  const orderedDict = [...global("collections", "OrderedDict"), EMPTY_TUPLE, REDUCE];
  return Uint8Array.from([
    0x80, 0x02, ...orderedDict, MARK, ...str(name),
    ...global("torch._utils", "_rebuild_tensor_v2"), MARK,
    MARK, ...str("storage"), ...global("torch", storageClass), ...str("0"), ...str("cpu"), ...int(numel), TUPLE, BINPERSID,
    ...int(0), ...int(shape[0]), ...int(shape[1]), TUPLE2, ...int(stride[0]), ...int(stride[1]), TUPLE2, NEWFALSE, ...orderedDict,
    TUPLE, REDUCE, SETITEMS, STOP,
  ]);
}

async function archive(t: { after: (fn: () => void) => void }, entries: Array<[string, Uint8Array]>): Promise<string> {
  const dir = tempDir("torch-bin-");
  const path = join(dir, "pytorch_model.bin");
  await writeZip(path, entries);
  return path;
}

test("a transposed view of a storage is gathered in row-major order", async (t) => {
  const storage = new Uint8Array(Float32Array.from([0, 1, 2, 3, 4, 5]).buffer);
  const path = await archive(t, [["m/data.pkl", statePickle("w", "FloatStorage", 6, [2, 3], [1, 2])], ["m/data/0", storage]]);
  const checkpoint = await TorchCheckpoint.open(path);
  assert.deepEqual(checkpoint.names(), ["w"]);
  assert.deepEqual(checkpoint.info("w"), { dtype: "F32", shape: [2, 3] });
  assert.deepEqual(Array.from(checkpoint.float32("w")), [0, 2, 4, 1, 3, 5]);
});

test("F16 and BF16 storages widen exactly", async (t) => {
  // 1.5, -2, 0.099976 (F16 0x2e66); BF16: 1.5 = 0x3fc0, -2 = 0xc000, 3.140625 = 0x4049.
  const f16 = await archive(t, [["m/data.pkl", statePickle("w", "HalfStorage", 3, [1, 3], [3, 1])], ["m/data/0", new Uint8Array(Uint16Array.from([0x3e00, 0xc000, 0x2e66]).buffer)]]);
  assert.deepEqual(Array.from((await TorchCheckpoint.open(f16)).float32("w")), [1.5, -2, 0.0999755859375]);
  const bf16 = await archive(t, [["m/data.pkl", statePickle("w", "BFloat16Storage", 3, [1, 3], [3, 1])], ["m/data/0", new Uint8Array(Uint16Array.from([0x3fc0, 0xc000, 0x4049]).buffer)]]);
  assert.deepEqual(Array.from((await TorchCheckpoint.open(bf16)).float32("w")), [1.5, -2, 3.140625]);
});

test("tied weights of the fixture share one storage and read equal", async () => {
  const checkpoint = await TorchCheckpoint.open(join(modelDir("tiny-bert-splade-bin"), "pytorch_model.bin"));
  assert.deepEqual(checkpoint.float32("cls.predictions.decoder.weight"), checkpoint.float32("bert.embeddings.word_embeddings.weight"));
  assert.deepEqual(checkpoint.info("bert.embeddings.word_embeddings.weight"), { dtype: "F32", shape: [30522, 32] });
});

test("refusals name the file: legacy format, big-endian, wrong storage size, missing storage", async (t) => {
  const dir = tempDir("torch-bin-");
  const legacy = join(dir, "legacy.bin");
  writeFileSync(legacy, Uint8Array.from([0x80, 0x02, 0x8a, 0x0a]));
  await assert.rejects(TorchCheckpoint.open(legacy), { code: "UNSUPPORTED", message: /legacy\.bin: not a zip archive/ });
  const pkl = statePickle("w", "FloatStorage", 6, [2, 3], [3, 1]);
  const data = new Uint8Array(24);
  await assert.rejects(TorchCheckpoint.open(await archive(t, [["m/data.pkl", pkl], ["m/byteorder", enc.encode("big")], ["m/data/0", data]])), { code: "UNSUPPORTED", message: /pytorch_model\.bin: byte order 'big'/ });
  await assert.rejects(TorchCheckpoint.open(await archive(t, [["m/data.pkl", pkl], ["m/data/0", new Uint8Array(20)]])), { code: "INVALID_FILE", message: /storage '0' has 20 bytes, expected 6 × 4/ });
  await assert.rejects(TorchCheckpoint.open(await archive(t, [["m/data.pkl", pkl]])), { code: "INVALID_FILE", message: /refers to storage '0', which the archive lacks/ });
});
