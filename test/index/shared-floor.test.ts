/**
 * A k-th score shared between threads that search disjoint segments of one query (shared-floor.ts, top-k.ts
 * `share`; SearchPool.searchSplit runs the parts on threads): the floor keeps the largest value published,
 * rounded down; and searching the parts with it, then merging their top-k lists, still equals brute force —
 * with frequent ties (weights that are small binary fractions, so that a floor can equal the k-th score
 * exactly and the ordinal decides), deletions, many small segments, f32 and u8 impacts. The threads'
 * interleaving is replaced by two deterministic extremes: the parts one after the other (each sees the k-th
 * scores of those before), and a floor published beforehand at exactly the index's k-th score.
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
import { TopK, type ScoredOrdinal } from "../../src/index/top-k.js";
import { SharedFloor, sharedFloors } from "../../src/index/shared-floor.js";

test("a shared floor holds the largest value published, rounded down to a float32; -Infinity before any", () => {
  const cells = new Int32Array(new SharedArrayBuffer(8));
  const floor = new SharedFloor(cells, 1);
  assert.equal(floor.read(), -Infinity);
  floor.publish(0);
  floor.publish(-3);
  assert.equal(floor.read(), -Infinity, "non-positive values are not published");
  floor.publish(2.5);
  assert.equal(floor.read(), 2.5);
  floor.publish(1);
  assert.equal(floor.read(), 2.5, "never lowered");
  floor.publish(0.1 + 2.5); // not a float32: rounded down
  const got = floor.read();
  assert.ok(got <= 2.6 && got > 2.6 - 1e-6 && got === Math.fround(got), `${got}`);
  assert.equal(cells[0], 0, "the other cell is untouched");
  floor.publish(1e300);
  assert.equal(floor.read(), 3.4028234663852886e38, "beyond float32: the largest float32, still below");
});

test("a heap shared with another raises its threshold to the other's k-th score, never its own list", () => {
  const cells = new Int32Array(new SharedArrayBuffer(4));
  const a = new TopK(2);
  const b = new TopK(2);
  a.share(new SharedFloor(cells, 0));
  b.share(new SharedFloor(cells, 0));
  a.offer(5, 0);
  a.offer(4, 1);
  a.sync();
  assert.equal(b.threshold, -Infinity, "b has not synced yet");
  b.sync();
  assert.equal(b.threshold, 4, "b prunes below a's k-th score");
  b.offer(7, 2);
  assert.equal(b.threshold, 4, "b's own heap is not full");
  assert.deepEqual(b.sorted(), [{ ordinal: 2, score: 7 }]);
});

// Binary fractions: products and sums of a few of them are exact in float32, so floors equal scores exactly.
const WEIGHTS = [0.25, 0.5, 1, 1.5, 2, 3.75];
const vectorArb = (vocab: number, maxNnz: number) => fc.array(fc.tuple(fc.nat(vocab - 1), fc.constantFrom(...WEIGHTS)), { maxLength: maxNnz }).map((e) => fromEntries(new Map(e)));

const scenarioArb = fc.integer({ min: 2, max: 30 }).chain((vocab) =>
  fc.record({
    docs: fc.array(vectorArb(vocab, 6), { minLength: 1, maxLength: 300 }),
    queries: fc.array(vectorArb(vocab, 6), { minLength: 1, maxLength: 4 }),
    blockSize: fc.constantFrom(1, 4, 16),
    impact: fc.constantFrom<ImpactKind>("f32", "u8"),
    k: fc.integer({ min: 1, max: 10 }),
    segmentSize: fc.integer({ min: 1, max: 50 }),
    parts: fc.integer({ min: 2, max: 4 }),
    deletes: fc.array(fc.boolean(), { maxLength: 300 }),
  }),
);

function buildSegments(docs: readonly SparseVector[], segmentSize: number, blockSize: number, impact: ImpactKind, deletes: readonly boolean[]) {
  const live: LiveSegment[] = [];
  const stored: SparseVector[] = []; // as the index stores them (u8: dequantized)
  for (let base = 0; base < docs.length; base += segmentSize) {
    const builder = new SegmentBuilder({ blockSize, superblockSize: 2, impact, reorder: "bp", weighting: { kind: "none" }, approximate: { postingsPerTerm: 1e9, maxPostingsFactor: 1, clusterSize: 3, summaryEnergy: 1, summaryComponents: 255 } });
    docs.slice(base, base + segmentSize).forEach((vector, i) => builder.add({ id: `d${base + i}`, vector }));
    const segment = builder.build();
    const deleted = new Uint32Array(Math.ceil(segment.docCount / 32));
    for (let i = 0; i < segment.docCount; i++) if (deletes[base + i]) deleted[i >>> 5] |= 1 << (i & 31);
    live.push({ segment, deleted, baseOrdinal: base });
    const forward = forwardDocuments(segment);
    for (let d = 0; d < segment.docCount; d++) stored.push(forwardVector(forward, d));
  }
  return { live, stored };
}

/** The k best of the parts' lists (as SearchPool.searchSplit merges them). */
function merge(lists: ReadonlyArray<readonly ScoredOrdinal[]>, k: number): ScoredOrdinal[] {
  const best = new TopK(k);
  for (const list of lists) for (const hit of list) best.offer(hit.score, hit.ordinal);
  return best.sorted();
}

/** Part p of `parts`: segments p, p + parts, … (SearchPool.searchSplit's assignment). */
const part = (live: readonly LiveSegment[], p: number, parts: number) => live.filter((_, s) => s % parts === p);

test("parts of the segments searched with a shared floor, merged, equal brute force: ties, deletes, many segments (property)", () => {
  fc.assert(
    fc.property(scenarioArb, ({ docs, queries, blockSize, impact, k, segmentSize, parts, deletes }) => {
      const { live, stored } = buildSegments(docs, segmentSize, blockSize, impact, deletes);
      for (const query of queries) {
        const expected = bruteForceSearch(stored, query, { k, isDeleted: (o) => deletes[o] === true });
        for (const algorithm of SEARCH_ALGORITHMS) {
          for (const seedBlocks of [undefined, 0, 1]) {
            // The parts one after the other, sharing one pair of cells.
            const cells = new Int32Array(new SharedArrayBuffer(8));
            const inTurn = Array.from({ length: parts }, (_, p) => searchSegments(part(live, p, parts), query, { k, algorithm, seedBlocks, shared: sharedFloors(cells, 0) }));
            assert.deepEqual(merge(inTurn, k), expected, `${algorithm} (seed blocks ${seedBlocks}), parts in turn`);
            // A floor at exactly the index's k-th score (when k documents score): ties at it must survive.
            if (expected.length === k) {
              const preset = new Int32Array(new SharedArrayBuffer(8));
              new SharedFloor(preset, 0).publish(expected[k - 1].score);
              const floored = Array.from({ length: parts }, (_, p) => searchSegments(part(live, p, parts), query, { k, algorithm, seedBlocks, shared: sharedFloors(preset, 0) }));
              assert.deepEqual(merge(floored, k), expected, `${algorithm} (seed blocks ${seedBlocks}), floor at the k-th score ${expected[k - 1].score}`);
            }
          }
        }
        // Approximate search that skips nothing (every term, every cluster, every candidate rescored).
        const cells = new Int32Array(new SharedArrayBuffer(8));
        const visitAll = { queryTerms: 1e6, heapFactor: 1e-12, rescore: 1e4, docTerms: 1 << 30 };
        const approximate = Array.from({ length: parts }, (_, p) => searchSegments(part(live, p, parts), query, { k, approximate: visitAll, shared: sharedFloors(cells, 0) }));
        assert.deepEqual(merge(approximate, k), expected, "approximate, visiting everything, parts in turn");
      }
    }),
    { numRuns: 200 },
  );
});
