/**
 * Loading model folders: the variants a real checkpoint may come in (plain HF MLM folder, F16/BF16 weights,
 * tied decoder present or absent, vocab.txt only) and the typed errors for broken ones, each naming the
 * file and the problem. Variants are copies of the fixtures in a temporary folder.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, truncateSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { SparseEncoder } from "../../src/encoder/index.js";
import { bf16ToF32, f16ToF32, readSafetensors, writeSafetensors, type TensorToWrite } from "../../src/safetensors/index.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { modelDir } from "../parity/golden.js";
import { copiedFolder } from "../helpers/temp-dir.js";

const DISTILBERT = modelDir("tiny-distilbert-splade");
const BERT = modelDir("tiny-bert-splade");
const TEXTS = ["what causes ocean tides", "The Moon's gravity pulls on the oceans, raising tides twice a day."];

async function encodeWith(dir: string, texts = TEXTS): Promise<SparseVector[]> {
  const encoder = await SparseEncoder.fromPretrained(dir, { threads: 1 });
  try {
    return await encoder.encodeDocument(texts);
  } finally {
    await encoder.release();
  }
}

/** Rewrites model.safetensors through `edit` (tensor list in, tensor list out). */
function rewriteWeights(dir: string, edit: (tensors: TensorToWrite[]) => TensorToWrite[]): void {
  const path = join(dir, "model.safetensors");
  const file = readSafetensors(path);
  const tensors = file.tensors.map((t) => ({ name: t.name, dtype: "F32" as const, shape: t.shape, data: file.float32(t.name) }));
  writeSafetensors(path, edit(tensors), { format: "pt" });
}

test("a plain Hugging Face *ForMaskedLM folder (no modules.json) becomes MLM + SpladePooling(max, relu)", async () => {
  const dir = copiedFolder(DISTILBERT);
  for (const f of ["modules.json", "config_sentence_transformers.json", "sentence_bert_config.json"]) rmSync(join(dir, f));
  rmSync(join(dir, "1_SpladePooling"), { recursive: true });
  const encoder = await SparseEncoder.fromPretrained(dir, { threads: 1 });
  try {
    const info = encoder.info();
    assert.equal(info.maxSeqLength, 512, "min(max_position_embeddings 512, tokenizer model_max_length 512)");
    assert.deepEqual([info.pooling, info.activation, info.similarityFnName], ["max", "relu", "dot"]);
    assert.deepEqual(await encoder.encodeDocument(TEXTS), await encodeWith(DISTILBERT));
  } finally {
    await encoder.release();
  }
});

/** Rounds float32 values to the nearest F16 (normal and subnormal; the fixture's weights are small) or BF16 bits. */
function toHalves(values: Float32Array, dtype: "F16" | "BF16"): Uint16Array {
  const halves = new Uint16Array(values.length);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    if (dtype === "BF16") {
      halves[i] = (bits[i] + 0x7fff + ((bits[i] >>> 16) & 1)) >>> 16; // round to nearest even
      continue;
    }
    const x = values[i];
    const sign = x < 0 ? 0x8000 : 0;
    const a = Math.abs(x);
    if (a < 2 ** -14) {
      halves[i] = sign | Math.round(a / 2 ** -24);
      continue;
    }
    let e = Math.floor(Math.log2(a));
    let m = Math.round((a / 2 ** e - 1) * 1024);
    if (m === 1024) [m, e] = [0, e + 1];
    halves[i] = sign | ((e + 15) << 10) | m;
  }
  return halves;
}

test("F16 and BF16 checkpoints load, widened exactly: same vectors as an F32 file holding the same values", async () => {
  for (const dtype of ["F16", "BF16"] as const) {
    const halfDir = copiedFolder(DISTILBERT);
    const floatDir = copiedFolder(DISTILBERT);
    const halves = new Map<string, Uint16Array>();
    rewriteWeights(halfDir, (tensors) =>
      tensors.map((tensor) => {
        const h = toHalves(tensor.data as Float32Array, dtype);
        halves.set(tensor.name, h);
        return { name: tensor.name, dtype, shape: tensor.shape, data: new Uint8Array(h.buffer) };
      }),
    );
    const widen = dtype === "F16" ? f16ToF32 : bf16ToF32;
    rewriteWeights(floatDir, (tensors) => tensors.map((tensor) => ({ name: tensor.name, dtype: "F32", shape: tensor.shape, data: widen(halves.get(tensor.name)!) })));
    assert.equal(readSafetensors(join(halfDir, "model.safetensors")).info("vocab_projector.bias").dtype, dtype);
    const vectors = await encodeWith(halfDir);
    assert.ok(vectors[0].indices.length > 10);
    assert.deepEqual(vectors, await encodeWith(floatDir), dtype);
  }
});

test("the tied decoder: a present copy (BERT fixture) and an absent one give the same vectors", async () => {
  const dir = copiedFolder(BERT);
  rewriteWeights(dir, (tensors) => tensors.filter((tensor) => tensor.name !== "cls.predictions.decoder.weight" && !tensor.name.startsWith("bert.pooler.")));
  assert.deepEqual(await encodeWith(dir), await encodeWith(BERT));
});

test("a folder with vocab.txt and no tokenizer.json tokenizes the same", async () => {
  const dir = copiedFolder(BERT);
  rmSync(join(dir, "tokenizer.json"));
  assert.deepEqual(await encodeWith(dir), await encodeWith(BERT));
});

test("errors name the file and the problem", async () => {
  const truncated = copiedFolder(DISTILBERT);
  truncateSync(join(truncated, "model.safetensors"), Math.floor(statSync(join(truncated, "model.safetensors")).size / 2));
  await assert.rejects(SparseEncoder.fromPretrained(truncated), (e: Error & { code?: string }) => {
    assert.equal(e.code, "INVALID_FILE");
    assert.match(e.message, /model\.safetensors/);
    return true;
  });

  const noConfig = copiedFolder(DISTILBERT);
  rmSync(join(noConfig, "config.json"));
  await assert.rejects(SparseEncoder.fromPretrained(noConfig), { code: "FILE_NOT_FOUND", message: /config\.json/ });

  const roberta = copiedFolder(DISTILBERT);
  writeFileSync(join(roberta, "config.json"), JSON.stringify({ model_type: "roberta", architectures: ["RobertaForMaskedLM"] }));
  await assert.rejects(SparseEncoder.fromPretrained(roberta), { code: "UNSUPPORTED", message: /config\.json.*roberta/ });

  const noHead = copiedFolder(BERT);
  for (const f of ["modules.json", "config_sentence_transformers.json", "sentence_bert_config.json"]) rmSync(join(noHead, f));
  const config = JSON.parse(readFileSync(join(noHead, "config.json"), "utf8"));
  writeFileSync(join(noHead, "config.json"), JSON.stringify({ ...config, architectures: ["BertModel"] }));
  await assert.rejects(SparseEncoder.fromPretrained(noHead), { code: "UNSUPPORTED", message: /config\.json.*BertModel.*masked-LM/ });

  const wrongShape = copiedFolder(DISTILBERT);
  const cfg = JSON.parse(readFileSync(join(wrongShape, "config.json"), "utf8"));
  writeFileSync(join(wrongShape, "config.json"), JSON.stringify({ ...cfg, hidden_dim: 48 }));
  await assert.rejects(SparseEncoder.fromPretrained(wrongShape), {
    code: "INVALID_FILE",
    message: /model\.safetensors: tensor 'distilbert\.transformer\.layer\.0\.ffn\.lin1\.weight' has shape \[64, 32\], expected \[48, 32\]/,
  });

  const missingTensor = copiedFolder(BERT);
  rewriteWeights(missingTensor, (tensors) => tensors.filter((tensor) => tensor.name !== "bert.encoder.layer.1.output.dense.bias"));
  await assert.rejects(SparseEncoder.fromPretrained(missingTensor), { code: "INVALID_FILE", message: /missing tensor 'bert\.encoder\.layer\.1\.output\.dense\.bias'/ });

  const badModules = copiedFolder(DISTILBERT);
  writeFileSync(join(badModules, "modules.json"), JSON.stringify([{ idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" }]));
  await assert.rejects(SparseEncoder.fromPretrained(badModules), { code: "UNSUPPORTED", message: /modules\.json/ });

  const badPooling = copiedFolder(DISTILBERT);
  writeFileSync(join(badPooling, "1_SpladePooling", "config.json"), JSON.stringify({ pooling_strategy: "mean" }));
  await assert.rejects(SparseEncoder.fromPretrained(badPooling), { code: "INVALID_FILE", message: /1_SpladePooling.config\.json.*pooling_strategy/ });

  const pickle = copiedFolder(DISTILBERT);
  rmSync(join(pickle, "model.safetensors"));
  writeFileSync(join(pickle, "pytorch_model.bin"), "");
  await assert.rejects(SparseEncoder.fromPretrained(pickle), { code: "UNSUPPORTED", message: /pytorch_model\.bin/ });

  await assert.rejects(SparseEncoder.fromPretrained(join(DISTILBERT, "no-such-folder")), { code: "FILE_NOT_FOUND" });
});
