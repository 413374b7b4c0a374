/**
 * Contract: every search algorithm returns exactly the brute-force top k (same ordinals, same float64
 * scores, ties by insertion order) on random corpora and queries — with tiny vocabularies and repeated
 * weights so that ties are frequent, several block sizes, f32 and u8 impacts, deletions and several segments.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { fromEntries } from "../../src/sparse/ops.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { SegmentBuilder } from "../../src/index/segment-builder.js";
import { forwardDocuments, forwardVector } from "../../src/index/segment-documents.js";
import { searchSegments, SEARCH_ALGORITHMS } from "../../src/index/search.js";
import { bruteForceSearch } from "../../src/index/brute-force.js";
import type { LiveSegment } from "../../src/index/segment-query.js";
import type { ImpactKind } from "../../src/index/segment.js";
import type { Reordering } from "../../src/index/reorder.js";

const WEIGHTS = [0.25, 0.5, 1, 1.5, 2, 3.75, 0.1, 0.3];

const vectorArb = (vocab: number, maxNnz: number, exactWeights: boolean) =>
  fc
    .array(fc.tuple(fc.nat(vocab - 1), exactWeights ? fc.constantFrom(...WEIGHTS) : fc.float({ min: Math.fround(0.001), max: 5, noNaN: true })), { maxLength: maxNnz })
    .map((entries) => fromEntries(new Map(entries)));

const scenarioArb = fc
  .record({ vocab: fc.integer({ min: 2, max: 40 }), exactWeights: fc.boolean() })
  .chain(({ vocab, exactWeights }) =>
    fc.record({
      docs: fc.array(vectorArb(vocab, 8, exactWeights), { minLength: 1, maxLength: 300 }),
      queries: fc.array(vectorArb(vocab, 6, exactWeights), { minLength: 1, maxLength: 4 }),
      blockSize: fc.constantFrom(1, 2, 4, 8, 64),
      superblockSize: fc.constantFrom(1, 2, 4, 16),
      reorder: fc.constantFrom<Reordering>("none", "top-terms", "bp"),
      impact: fc.constantFrom<ImpactKind>("f32", "u8"),
      k: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 })),
      segmentSizes: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }),
      deleteSeed: fc.array(fc.boolean(), { maxLength: 300 }),
    }),
  );

interface Layout {
  blockSize: number;
  superblockSize: number;
  reorder: Reordering;
  impact: ImpactKind;
}

function buildSegments(docs: SparseVector[], sizes: number[], layout: Layout, deleteMask: boolean[]) {
  const live: LiveSegment[] = [];
  const stored: SparseVector[] = []; // as the index stores them (u8: dequantized)
  let start = 0;
  let s = 0;
  while (start < docs.length) {
    const n = sizes[s++ % sizes.length];
    const builder = new SegmentBuilder({ ...layout, weighting: { kind: "none" } });
    const part = docs.slice(start, start + n);
    part.forEach((vector, i) => builder.add({ id: `d${start + i}`, vector }));
    const segment = builder.build();
    const deleted = new Uint32Array(Math.ceil(segment.docCount / 32));
    part.forEach((_, i) => {
      if (deleteMask[start + i]) deleted[i >>> 5] |= 1 << (i & 31);
    });
    live.push({ segment, deleted, baseOrdinal: start });
    const forward = forwardDocuments(segment);
    for (let d = 0; d < segment.docCount; d++) stored.push(forwardVector(forward, d));
    start += n;
  }
  return { live, stored };
}

test("every algorithm equals brute force on random corpora (property)", () => {
  fc.assert(
    fc.property(scenarioArb, ({ docs, queries, blockSize, superblockSize, reorder, impact, k, segmentSizes, deleteSeed }) => {
      const deleteMask = docs.map((_, i) => deleteSeed[i] ?? false);
      const { live, stored } = buildSegments(docs, segmentSizes, { blockSize, superblockSize, reorder, impact }, deleteMask);
      for (const query of queries) {
        const expected = bruteForceSearch(stored, query, { k, isDeleted: (o) => deleteMask[o] });
        for (const algorithm of SEARCH_ALGORITHMS) {
          const got = searchSegments(live, query, { k, algorithm });
          assert.deepEqual(got, expected, `${algorithm} differs from brute force`);
        }
        for (const seedBlocks of [0, 1, 3]) {
          assert.deepEqual(searchSegments(live, query, { k, algorithm: "bmp", seedBlocks }), expected, `bmp with ${seedBlocks} seed blocks`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

// Long flat queries (SPLADE's tens of light expansion terms) over many small blocks, with few seed blocks:
// phase B's stage 1 (block-max-phase-b.ts) then adds several essential terms and drops blocks between them.
const flatScenarioArb = fc.record({
  docs: fc.array(vectorArb(24, 12, false), { minLength: 100, maxLength: 400 }),
  queries: fc.array(vectorArb(24, 24, false), { minLength: 1, maxLength: 4 }),
  blockSize: fc.constantFrom(1, 2, 4, 8),
  superblockSize: fc.constantFrom(1, 4, 16),
  impact: fc.constantFrom<ImpactKind>("f32", "u8"),
  k: fc.integer({ min: 1, max: 4 }),
  deleteSeed: fc.array(fc.boolean(), { maxLength: 400 }),
});

test("bmp equals brute force on long flat queries over many blocks (property)", () => {
  fc.assert(
    fc.property(flatScenarioArb, ({ docs, queries, blockSize, superblockSize, impact, k, deleteSeed }) => {
      const deleteMask = docs.map((_, i) => deleteSeed[i] ?? false);
      const { live, stored } = buildSegments(docs, [docs.length], { blockSize, superblockSize, reorder: "bp", impact }, deleteMask);
      for (const query of queries) {
        const expected = bruteForceSearch(stored, query, { k, isDeleted: (o) => deleteMask[o] });
        for (const seedBlocks of [undefined, 0, 1, 3]) {
          assert.deepEqual(searchSegments(live, query, { k, algorithm: "bmp", seedBlocks }), expected, `bmp with ${seedBlocks ?? "default"} seed blocks`);
        }
      }
    }),
    { numRuns: 100 },
  );
});

test("u8 impacts stay close to the float32 weights they quantize", () => {
  const docs = Array.from({ length: 50 }, (_, d) => fromEntries([[d % 7, 0.1 + d / 10], [7 + (d % 3), 1 + d / 50]]));
  const builder = new SegmentBuilder({ blockSize: 8, superblockSize: 2, reorder: "top-terms", impact: "u8", weighting: { kind: "none" } });
  docs.forEach((vector, i) => builder.add({ id: `d${i}`, vector }));
  const segment = builder.build();
  const forward = forwardDocuments(segment);
  const maxImpact = 0.1 + 49 / 10;
  for (let d = 0; d < docs.length; d++) {
    const got = forwardVector(forward, d);
    assert.deepEqual([...got.indices], [...docs[d].indices]);
    for (let i = 0; i < got.values.length; i++) assert.ok(Math.abs(got.values[i] - docs[d].values[i]) <= maxImpact / 255 / 2 + 1e-6);
  }
});

test("a document tying the k-th score wins by insertion order even when its block is visited later", () => {
  // Doc 0 (block 0) has a low-bound block; docs 64.. (block 1) have a higher bound but tie doc 0's score.
  const builder = new SegmentBuilder({ blockSize: 64, superblockSize: 1, reorder: "none", impact: "f32", weighting: { kind: "none" } });
  const docs: SparseVector[] = [];
  for (let d = 0; d < 128; d++) docs.push(d === 0 ? fromEntries([[1, 1]]) : d === 64 ? fromEntries([[1, 1], [2, 0.0]]) : fromEntries([[3, 1]]));
  docs[65] = fromEntries([[2, 5]]);
  docs.forEach((vector, i) => builder.add({ id: `d${i}`, vector }));
  const live: LiveSegment[] = [{ segment: builder.build(), deleted: null, baseOrdinal: 0 }];
  const query = fromEntries([[1, 1], [2, 0.1]]);
  for (const algorithm of SEARCH_ALGORITHMS) {
    assert.deepEqual(searchSegments(live, query, { k: 1, algorithm }), [{ ordinal: 0, score: 1 }], algorithm);
  }
});
