/** src/train/data/sampler.ts and batch-stream.ts: no-duplicates batches, sequential batches, stream positions. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { noDuplicatesBatches, sequentialBatches } from "../../src/train/data/sampler.js";
import { BatchStream } from "../../src/train/data/batch-stream.js";
import type { TrainingRow } from "../../src/train/data/rows.js";

const row = (q: string, p: string, n: string): TrainingRow => ({ query: q, positive: p, negatives: [n] });

test("sequential batches are consecutive rows, the last one short", () => {
  assert.deepEqual(sequentialBatches(7, 3), [[0, 1, 2], [3, 4, 5], [6]]);
});

test("no-duplicates: every row exactly once, no text twice within a batch, seeded", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 7, max: 12 })), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (specs, size, seed) => {
      const rows = specs.map(([q, p, n]) => row(`q${q}`, `p${p}`, `t${n}`));
      const batches = noDuplicatesBatches(rows, size, seed);
      assert.deepEqual(batches.flat().sort((a, b) => a - b), rows.map((_, i) => i));
      for (const b of batches) {
        assert.ok(b.length >= 1 && b.length <= size);
        const texts = b.flatMap((i) => [rows[i].query, rows[i].positive, ...rows[i].negatives]);
        const perRow = b.map((i) => new Set([rows[i].query, rows[i].positive, ...rows[i].negatives]));
        const union = new Set(texts);
        assert.equal(union.size, perRow.reduce((a, s) => a + s.size, 0), "a text repeats across rows of a batch");
      }
      assert.deepEqual(noDuplicatesBatches(rows, size, seed), batches);
    }),
  );
});

test("no-duplicates skips a clashing row and keeps it for a later batch", () => {
  const rows = [row("a", "x", "n1"), row("b", "x", "n2"), row("c", "y", "n3")];
  for (let seed = 0; seed < 20; seed++) {
    const batches = noDuplicatesBatches(rows, 3, seed);
    assert.equal(batches.length, 2, `seed ${seed}: rows 0 and 1 share "x"`);
  }
});

test("the batch stream crosses epochs and resumes from a position", () => {
  const rows = Array.from({ length: 5 }, (_, i) => row(`q${i}`, `p${i}`, `n${i}`));
  const options = { batchSize: 2, shuffle: true, seed: 9 };
  const a = new BatchStream(rows, options);
  const seen = Array.from({ length: 7 }, () => a.next().map((r) => r.query));
  const b = new BatchStream(rows, options);
  for (let i = 0; i < 4; i++) b.next();
  const c = new BatchStream(rows, options, b.current);
  assert.deepEqual(Array.from({ length: 3 }, () => c.next().map((r) => r.query)), seen.slice(4));
  assert.equal(new Set(seen.slice(0, 3).flat()).size, 5, "epoch 0 covers every row");
});
