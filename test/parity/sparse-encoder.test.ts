/**
 * SparseEncoder end to end (folder loading, prompts, strip, truncation, tokenizer, batching, graph) against
 * the goldens: every encode.jsonl line through encodeQuery / encodeDocument, its input_ids exactly, and the
 * extras (max_active_dims, decode, similarity) with MANIFEST's tolerances.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseEncoder } from "../../src/encoder/index.js";
import { compareSparse, encodeGoldens, extrasGolden, modelDir, MODELS, TOLERANCE } from "./golden.js";

for (const model of MODELS) {
  test(`${model}: encodeQuery / encodeDocument match encode.jsonl (ids exact, values within tolerance)`, async () => {
    const encoder = await SparseEncoder.fromPretrained(modelDir(model), { threads: 1 });
    try {
      const failures: string[] = [];
      for (const task of ["query", "document"] as const) {
        const rows = encodeGoldens(model).filter((r) => r.task === task);
        assert.ok(rows.length > 0);
        const texts = rows.map((r) => r.text);
        assert.deepEqual(encoder.tokenIds(texts, {}, task), rows.map((r) => r.input_ids), `${task} input_ids`);
        const vectors = task === "query" ? await encoder.encodeQuery(texts) : await encoder.encodeDocument(texts, { batchSize: 5 });
        rows.forEach((row, i) => {
          const failure = compareSparse(vectors[i], row, `${task} ${i} ${JSON.stringify(row.text.slice(0, 30))}`);
          if (failure) failures.push(failure);
        });
      }
      assert.deepEqual(failures, []);
    } finally {
      await encoder.release();
    }
  });

  test(`${model}: maxActiveDims, decode and similarity match extras.json`, async () => {
    const encoder = await SparseEncoder.fromPretrained(modelDir(model), { threads: 1 });
    try {
      const extras = extrasGolden(model);
      const failures: string[] = [];
      const pruned = await encoder.encodeDocument(extras.max_active_dims_16.map((e) => e.text), { maxActiveDims: 16 });
      extras.max_active_dims_16.forEach((e, i) => {
        assert.equal(pruned[i].indices.length, 16);
        const failure = compareSparse(pruned[i], e, `max_active_dims_16 ${i}`);
        if (failure) failures.push(failure);
      });

      const full = await encoder.encodeDocument(extras.decode_top5.map((e) => e.text));
      extras.decode_top5.forEach((e, i) => {
        const decoded = encoder.decode(full[i], 5);
        assert.deepEqual(decoded.map(([token]) => token), e.tokens.map(([token]) => token), `decode_top5 ${i} tokens`);
        decoded.forEach(([, weight], k) => {
          if (!(Math.abs(weight - e.tokens[k][1]) <= TOLERANCE.spladeValue)) failures.push(`decode_top5 ${i}[${k}]: ${weight} vs ${e.tokens[k][1]}`);
        });
      });

      const { queries, documents, scores } = extras.similarity_dot;
      const matrix = encoder.similarity(await encoder.encodeQuery(queries), await encoder.encodeDocument(documents), "dot");
      let maxDelta = 0;
      scores.forEach((row, i) =>
        row.forEach((expected, j) => {
          const delta = Math.abs(matrix[i][j] - expected);
          maxDelta = Math.max(maxDelta, delta);
          const ok = delta <= TOLERANCE.similarityAbsolute || delta <= TOLERANCE.similarityRelative * Math.abs(expected);
          if (!ok) failures.push(`similarity_dot[${i}][${j}]: ${matrix[i][j]} vs ${expected} (max |Δ| so far ${maxDelta})`);
        }),
      );
      assert.deepEqual(failures, []);
    } finally {
      await encoder.release();
    }
  });
}
