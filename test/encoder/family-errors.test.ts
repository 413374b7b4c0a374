/**
 * Broken family folders give typed errors that name the file: a Router module of an unknown class, a missing
 * route folder, a pytorch_model.bin whose pickle calls a forbidden global (and nothing of it runs), a truncated
 * .bin, a shard missing from its index; plus an unknown task.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder } from "../../src/encoder/index.js";
import { TorchCheckpoint } from "../../src/pytorch/index.js";
import { modelDir } from "../parity/golden.js";
import { writeZip } from "../helpers/zip.js";
import { copiedFolder } from "../helpers/temp-dir.js";

const pickleString = (s: string) => {
  const bytes = new TextEncoder().encode(s);
  return [0x58, bytes.length & 0xff, (bytes.length >> 8) & 0xff, 0, 0, ...bytes]; // BINUNICODE
};

/** A pickle that would run `touch <marker>` through GLOBAL 'posix system' + REDUCE if it were executed. */
function systemPickle(marker: string): Uint8Array {
  const global = new TextEncoder().encode("cposix\nsystem\n");
  return Uint8Array.from([0x80, 0x02, ...global, ...pickleString(`touch ${marker}`), 0x85, 0x52, 0x2e]);
}

test("a Router module of an unknown class → UNSUPPORTED naming router_config.json", async () => {
  const dir = copiedFolder(modelDir("tiny-inference-free-splade"));
  const path = join(dir, "router_config.json");
  const config = JSON.parse(readFileSync(path, "utf8"));
  config.types.query_0_SparseStaticEmbedding = "sentence_transformers.models.StaticEmbedding";
  writeFileSync(path, JSON.stringify(config));
  await assert.rejects(SparseEncoder.fromPretrained(dir), { code: "UNSUPPORTED", message: /router_config\.json: module type "sentence_transformers\.models\.StaticEmbedding"/ });
});

test("a route folder missing → FILE_NOT_FOUND naming the folder and router_config.json", async () => {
  const dir = copiedFolder(modelDir("tiny-inference-free-splade"));
  rmSync(join(dir, "query_0_SparseStaticEmbedding"), { recursive: true });
  await assert.rejects(SparseEncoder.fromPretrained(dir), { code: "FILE_NOT_FOUND", message: /query_0_SparseStaticEmbedding: no such folder .*router_config\.json/ });
});

test("a pytorch_model.bin whose pickle calls os.system → INVALID_FILE naming the file and the global; nothing runs", async () => {
  const dir = copiedFolder(modelDir("tiny-bert-splade-bin"));
  const marker = join(dir, "..", "pwned");
  const bin = join(dir, "pytorch_model.bin");
  await writeZip(bin, [["pytorch_model/data.pkl", systemPickle(marker)], ["pytorch_model/version", new TextEncoder().encode("3\n")]]);
  await assert.rejects(SparseEncoder.fromPretrained(dir), { code: "INVALID_FILE", message: /pytorch_model\.bin: refused to unpickle: forbidden global 'posix\.system'/ });
  await assert.rejects(TorchCheckpoint.open(bin), { code: "INVALID_FILE", message: /forbidden global/ });
  assert.equal(existsSync(marker), false, "the pickle's command never ran");

  // builtins.eval through STACK_GLOBAL, and an opcode a state dict never uses (NEWOBJ).
  const stackGlobal = Uint8Array.from([0x80, 0x04, ...pickleString("builtins"), ...pickleString("eval"), 0x93, ...pickleString("1"), 0x85, 0x52, 0x2e]);
  await writeZip(bin, [["pytorch_model/data.pkl", stackGlobal]]);
  await assert.rejects(TorchCheckpoint.open(bin), { code: "INVALID_FILE", message: /forbidden global 'builtins\.eval'/ });
  const newobj = Uint8Array.from([0x80, 0x02, 0x29, 0x29, 0x81, 0x2e]);
  await writeZip(bin, [["pytorch_model/data.pkl", newobj]]);
  await assert.rejects(TorchCheckpoint.open(bin), { code: "INVALID_FILE", message: /opcode 0x81 .* not accepted/ });
});

test("a truncated pytorch_model.bin → INVALID_FILE naming the file", async () => {
  const dir = copiedFolder(modelDir("tiny-bert-splade-bin"));
  const bin = join(dir, "pytorch_model.bin");
  truncateSync(bin, Math.floor(statSync(bin).size / 2));
  await assert.rejects(SparseEncoder.fromPretrained(dir), { code: "INVALID_FILE", message: /pytorch_model\.bin: not a readable zip archive/ });
});

test("a corrupted storage in pytorch_model.bin fails its CRC check when read", async () => {
  const dir = copiedFolder(modelDir("tiny-bert-splade-bin"));
  const bin = join(dir, "pytorch_model.bin");
  const bytes = readFileSync(bin);
  bytes[20000] ^= 0xff; // inside storage 0 (the word embeddings)
  writeFileSync(bin, bytes);
  await assert.rejects(SparseEncoder.fromPretrained(dir).then((e) => e.encodeDocument(["x"])), { code: "INVALID_FILE", message: /pytorch_model\.bin: entry 'pytorch_model\/data\/0' fails its CRC-32 check/ });
});

test("a shard missing from its index → FILE_NOT_FOUND naming the shard and the index", async () => {
  const dir = copiedFolder(modelDir("tiny-distilbert-splade-sharded"));
  rmSync(join(dir, "model-00002-of-00002.safetensors"));
  await assert.rejects(SparseEncoder.fromPretrained(dir), {
    code: "FILE_NOT_FOUND",
    message: /model-00002-of-00002\.safetensors: no such file \(shard named by .*model\.safetensors\.index\.json\)/,
  });
});

test("an index naming a tensor its shard lacks → INVALID_FILE naming the shard", async () => {
  const dir = copiedFolder(modelDir("tiny-distilbert-splade-sharded"));
  const path = join(dir, "model.safetensors.index.json");
  const index = JSON.parse(readFileSync(path, "utf8"));
  index.weight_map["extra.weight"] = "model-00002-of-00002.safetensors";
  writeFileSync(path, JSON.stringify(index));
  await assert.rejects(SparseEncoder.fromPretrained(dir), { code: "INVALID_FILE", message: /model-00002-of-00002\.safetensors: has no tensor 'extra\.weight'/ });
});

test("an unknown task → NOT_FOUND naming router_config.json and the routes; models without Router ignore the task", async () => {
  const encoder = await SparseEncoder.fromPretrained(modelDir("tiny-asym-splade"), { threads: 1 });
  try {
    await assert.rejects(encoder.encode(["x"], { task: "passage" }), { code: "NOT_FOUND", message: /router_config\.json: no route for task "passage" \(routes: query, document\)/ });
    assert.deepEqual(await encoder.encode(["x"], { task: "query" }), await encoder.encode(["x"], { task: "query", prompt: "" }));
  } finally {
    await encoder.release();
  }
  const plain = await SparseEncoder.fromPretrained(modelDir("tiny-distilbert-splade"), { threads: 1 });
  try {
    assert.deepEqual(await plain.encode(["x"], { task: "passage" }), await plain.encode(["x"]));
  } finally {
    await plain.release();
  }
  const noDir = copiedFolder(modelDir("tiny-asym-splade"));
  rmSync(join(noDir, "router_config.json"));
  await assert.rejects(SparseEncoder.fromPretrained(noDir), { code: "FILE_NOT_FOUND", message: /router_config\.json/ });
});
