/**
 * Every SparseEncoder family against its goldens (MANIFEST.md "Other SparseEncoder families"): Router models
 * (inference-free in the ST-native and opensearch layouts, two-encoder SPLADE) through encodeQuery,
 * encodeDocument and a plain encode (task null → default_route), CSR through encode, and the same SPLADE
 * models stored as pytorch_model.bin and as sharded safetensors. Token ids exact, values and similarities
 * within MANIFEST's tolerances, whole arrays compared.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseEncoder } from "../../src/encoder/index.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { compareSimilarity, compareSparse, encodeGoldens, familyExtrasGolden, modelDir, ROUTER_MODELS, WEIGHT_FORMAT_MODELS, type EncodeGolden } from "./golden.js";

async function encodeTask(encoder: SparseEncoder, task: EncodeGolden["task"], texts: string[], batchSize?: number): Promise<SparseVector[]> {
  if (task === "query") return encoder.encodeQuery(texts, { batchSize });
  if (task === "document") return encoder.encodeDocument(texts, { batchSize });
  return encoder.encode(texts, { batchSize });
}

/** Compares every golden line of `model` for `tasks`; returns the failures. */
async function compareGoldens(encoder: SparseEncoder, model: string, tasks: Array<EncodeGolden["task"]>): Promise<string[]> {
  const failures: string[] = [];
  for (const task of tasks) {
    const rows = encodeGoldens(model).filter((r) => r.task === task);
    assert.ok(rows.length > 0, `${model}: no goldens for task ${task}`);
    const texts = rows.map((r) => r.text);
    assert.deepEqual(encoder.tokenIds(texts, {}, task ?? undefined), rows.map((r) => r.input_ids), `${model} ${task} input_ids`);
    const vectors = await encodeTask(encoder, task, texts, 7);
    rows.forEach((row, i) => {
      const failure = compareSparse(vectors[i], row, `${model} ${task} ${i} ${JSON.stringify(row.text.slice(0, 30))}`);
      if (failure) failures.push(failure);
    });
  }
  return failures;
}

for (const model of ROUTER_MODELS) {
  test(`${model}: query, document and task-null routes match encode.jsonl; similarity_dot matches extras.json`, async () => {
    const encoder = await SparseEncoder.fromPretrained(modelDir(model), { threads: 1 });
    try {
      const failures = await compareGoldens(encoder, model, ["query", "document", null]);
      const golden = familyExtrasGolden(model).similarity_dot!;
      const matrix = encoder.similarity(await encoder.encodeQuery(golden.queries), await encoder.encodeDocument(golden.documents), "dot");
      failures.push(...compareSimilarity(matrix, golden, "similarity_dot"));
      assert.deepEqual(failures, []);
    } finally {
      await encoder.release();
    }
  });
}

for (const model of ["tiny-inference-free-splade", "tiny-opensearch-inference-free"]) {
  test(`${model}: encoding queries opens no onnxruntime session; documents open one`, async () => {
    const encoder = await SparseEncoder.fromPretrained(modelDir(model), { threads: 1 });
    try {
      const [query] = await encoder.encodeQuery(["what causes ocean tides tides"]);
      assert.ok(query.indices.length > 0);
      assert.deepEqual(encoder.openSessions, []);
      await encoder.encodeDocument(["the moon pulls the oceans"]);
      assert.deepEqual(encoder.openSessions, ["document"]);
    } finally {
      await encoder.release();
    }
  });
}

test("tiny-csr: encode matches encode.jsonl (latent ids exact, at most k); similarity_cosine matches extras.json", async () => {
  const encoder = await SparseEncoder.fromPretrained(modelDir("tiny-csr"), { threads: 1 });
  try {
    const failures = await compareGoldens(encoder, "tiny-csr", [null]);
    const vectors = await encoder.encode(encodeGoldens("tiny-csr").map((r) => r.text));
    assert.ok(vectors.every((v) => v.indices.length <= 16 && v.indices.every((i) => i < 256)));
    // encodeQuery / encodeDocument coincide with encode for a model without Router and with empty prompts.
    assert.deepEqual(await encoder.encodeQuery(["sparse codes"]), await encoder.encode(["sparse codes"]));
    const golden = familyExtrasGolden("tiny-csr");
    assert.equal(encoder.similarityFnName, "cosine");
    const cosine = golden.similarity_cosine!;
    failures.push(...compareSimilarity(encoder.similarity(await encoder.encodeQuery(cosine.queries), await encoder.encodeDocument(cosine.documents)), cosine, "similarity_cosine"));
    assert.ok(golden.min_topk_gap! >= 2e-3);
    assert.deepEqual(failures, []);
  } finally {
    await encoder.release();
  }
});

for (const model of WEIGHT_FORMAT_MODELS) {
  test(`${model}: the weight format changes no output (goldens shared with the safetensors fixture)`, async () => {
    const encoder = await SparseEncoder.fromPretrained(modelDir(model), { threads: 1 });
    try {
      assert.deepEqual(await compareGoldens(encoder, model, ["query", "document"]), []);
    } finally {
      await encoder.release();
    }
  });
}
