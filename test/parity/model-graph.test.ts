/**
 * The SPLADE graph (model/ + encoder/splade-graph.ts) against the float64 goldens, fed the goldens' own
 * input_ids (so the tokenizer is not under test here): every encode.jsonl vector, batched by 7 with padding
 * as the reference was, and the extras' last hidden states; for both kernel sets.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readTransformerConfig } from "../../src/model/config.js";
import { CheckpointWeights } from "../../src/model/weights.js";
import { ModelSession } from "../../src/encoder/model-session.js";
import type { TokenBatch } from "../../src/encoder/batching.js";
import { denseRowToSparse } from "../../src/encoder/vector-ops.js";
import { compareDense, compareSparse, encodeGoldens, extrasGolden, modelDir, MODELS, TOLERANCE } from "./golden.js";

/** Right-pads id sequences with 0 ([PAD]) into a [B, T] batch. */
function padBatch(sequences: number[][]): TokenBatch {
  const seqLen = Math.max(...sequences.map((s) => s.length));
  const inputIds = new BigInt64Array(sequences.length * seqLen);
  const attentionMask = new BigInt64Array(sequences.length * seqLen);
  sequences.forEach((ids, b) =>
    ids.forEach((id, t) => {
      inputIds[b * seqLen + t] = BigInt(id);
      attentionMask[b * seqLen + t] = 1n;
    }),
  );
  return { inputIds, attentionMask, batchSize: sequences.length, seqLen };
}

const REFERENCE_BATCH = 7; // MANIFEST.md: "Texts were encoded in batches of 7 with padding to the batch maximum"

for (const model of MODELS) {
  for (const kernels of ["plain", "fused"] as const) {
    test(`${model} (${kernels} kernels): SPLADE vectors and hidden states match the goldens`, async () => {
      const dir = modelDir(model);
      const config = readTransformerConfig(`${dir}/config.json`);
      const weights = CheckpointWeights.open(`${dir}/model.safetensors`);
      const session = await ModelSession.create(config, weights, {
        pooling: { pooling: "max", activation: "relu" },
        kernels,
        hiddenStates: true,
        threads: 1,
      });
      try {
        const goldens = encodeGoldens(model);
        assert.equal(goldens.length, 448);
        const failures: string[] = [];
        for (let start = 0; start < goldens.length; start += REFERENCE_BATCH) {
          const rows = goldens.slice(start, start + REFERENCE_BATCH);
          const { splade } = await session.run(padBatch(rows.map((r) => r.input_ids)));
          rows.forEach((row, b) => {
            const failure = compareSparse(denseRowToSparse(splade, b, config.vocabSize), row, `line ${start + b + 1} (${row.task})`);
            if (failure) failures.push(failure);
          });
        }
        const byText = new Map(goldens.filter((r) => r.task === "document").map((r) => [r.text, r.input_ids]));
        for (const { text, hidden } of extrasGolden(model).last_hidden_state) {
          const ids = byText.get(text);
          assert.ok(ids, `no input_ids for ${JSON.stringify(text)}`);
          const { lastHidden } = await session.run(padBatch([ids]));
          const failure = compareDense(lastHidden!, hidden.flat(), TOLERANCE.hidden, `last_hidden_state of ${JSON.stringify(text.slice(0, 30))}`);
          if (failure) failures.push(failure);
        }
        assert.deepEqual(failures, []);
      } finally {
        await session.release();
      }
    });
  }
}
