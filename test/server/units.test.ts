/**
 * The server's small pure parts: the merge policy, the encoder lane's batching and priorities, and the
 * mapping between stored payloads and API documents.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tailToMerge } from "../../src/server/merge-policy.js";
import { EncoderLane } from "../../src/server/encoder-lane.js";
import { encodedText, fromStoredPayload, toStoredPayload } from "../../src/server/stored-document.js";
import type { DocumentEncoder } from "../../src/app/document-encoder.js";
import type { SparseVector } from "../../src/sparse/vector.js";

test("merge policy: the newest run of `factor` same-level segments is merged, older bigger ones stay", () => {
  assert.equal(tailToMerge([5000, 1, 1, 1], 10), -1, "fewer than factor segments");
  assert.equal(tailToMerge([5000, ...Array(9).fill(1)], 10), -1, "nine small ones wait");
  assert.equal(tailToMerge([5000, ...Array(10).fill(1)], 10), 1, "ten small ones are merged, the big one stays");
  assert.equal(tailToMerge([5000, 10, 10, ...Array(10).fill(3)], 10), 3, "level 0 only");
  assert.equal(tailToMerge([5000, ...Array(9).fill(10), 7, ...Array(9).fill(1)], 10), 10, "a smaller-level segment joins the run");
  assert.equal(tailToMerge([5000, ...Array(9).fill(10), 12, ...Array(8).fill(1)], 10), -1, "a bigger one ends it");
  assert.equal(tailToMerge([5000, ...Array(10).fill(10)], 10), 1, "ten level-1 segments cascade into one");
  assert.equal(tailToMerge(Array(12).fill(1), 10), 0, "all of them when all are small");
  assert.equal(tailToMerge([3, 2, 2, 1], 4), 0);
  assert.equal(tailToMerge([40, 30, 20, 10], 4), -1, "the newest is a level below the others");
  assert.equal(tailToMerge([100, 0, 0, 0, 0], 4), 1, "segments whose documents were all deleted are merged away");
  // Simulated stream of single-document commits: the segment count stays logarithmic.
  let segments = [5000];
  let maxSegments = 0;
  for (let write = 0; write < 5000; write++) {
    segments.push(1);
    for (let from = tailToMerge(segments, 10); from >= 0; from = tailToMerge(segments, 10)) {
      segments = [...segments.slice(0, from), segments.slice(from).reduce((a, b) => a + b, 0)];
    }
    maxSegments = Math.max(maxSegments, segments.length);
  }
  assert.equal(segments.reduce((a, b) => a + b, 0), 10_000);
  assert.ok(maxSegments <= 10 * 4 + 1, `at most ~factor · levels segments (${maxSegments})`);
});

function fakeEncoder(calls: Array<{ task: string; texts: readonly string[] }>, kind: "splade" | "bm25" = "splade"): DocumentEncoder {
  const encode = (task: string) => async (texts: readonly string[]): Promise<SparseVector[]> => {
    calls.push({ task, texts: [...texts] });
    await new Promise((r) => setTimeout(r, 5));
    return texts.map((t) => ({ indices: Uint32Array.from([t.length]), values: Float32Array.from([task === "query" ? 1 : 2]) }));
  };
  return { kind, record: { kind: "splade", model: "fake" }, indexSettings: {}, vocabSize: 100, tokenLookup: { vocabSize: 100, idToToken: (id) => `t${id}`, tokenToId: () => undefined }, encodeQueries: encode("query"), encodeDocuments: encode("document"), release: async () => undefined };
}

test("encoder lane: concurrent calls are batched, queries and document slices take turns, results return in order", async () => {
  const calls: Array<{ task: string; texts: readonly string[] }> = [];
  const lane = new EncoderLane(fakeEncoder(calls), 4);
  const docs = lane.encode("document", ["d1", "d22", "d333", "d4444", "d55555", "d666666"]);
  const q1 = lane.encode("query", ["a"]);
  const q2 = lane.encode("query", ["bb", "ccc"]);
  const [d, a, b] = await Promise.all([docs, q1, q2]);
  assert.deepEqual(calls.map((c) => [c.task, c.texts.length]), [["document", 4], ["query", 3], ["document", 2]], "first slice, then both queries batched, then the rest");
  calls.length = 0;
  const stream = Array.from({ length: 4 }, (_, i) => lane.encode("query", [`q${i}`, `qq${i}`, `qqq${i}`, `qqqq${i}`]));
  const write = lane.encode("document", ["w1", "w2"]);
  const more = Array.from({ length: 4 }, (_, i) => lane.encode("query", [`r${i}`, `rr${i}`, `rrr${i}`, `rrrr${i}`]));
  await Promise.all([...stream, write, ...more]);
  const order = calls.map((c) => c.task);
  assert.ok(order.indexOf("document") <= 2, `a write is not starved by a stream of queries (${order.join(" ")})`);
  assert.deepEqual(d.map((v) => v.indices[0]), [2, 3, 4, 5, 6, 7]);
  assert.deepEqual(a.map((v) => v.indices[0]), [1]);
  assert.deepEqual(b.map((v) => v.indices[0]), [2, 3]);
  assert.deepEqual(d.map((v) => v.values[0]), [2, 2, 2, 2, 2, 2]);
  await lane.stop();
  await assert.rejects(lane.encode("query", ["late"]), /shutting down/);
});

test("encoder lane: a failing run rejects only the calls in it", async () => {
  let runs = 0;
  const encoder = fakeEncoder([]);
  const failing: DocumentEncoder = {
    ...encoder,
    encodeQueries: async (texts) => {
      if (runs++ === 0) throw new Error("boom");
      return encoder.encodeQueries(texts);
    },
  };
  const lane = new EncoderLane(failing, 2);
  const first = lane.encode("query", ["a", "b"]);
  const second = lane.encode("query", ["c"]);
  await assert.rejects(first, /boom/);
  assert.equal((await second).length, 1);
});

test("stored payloads map to API documents and back", () => {
  const stored = toStoredPayload({ title: "T", text: "body", payload: { year: 2020 } });
  assert.deepEqual(stored, { title: "T", text: "body", payload: { year: 2020 } });
  assert.deepEqual(fromStoredPayload(stored), { title: "T", text: "body", payload: { year: 2020 } });
  assert.deepEqual(toStoredPayload({ title: "", text: "x" }), { text: "x" });
  assert.deepEqual(fromStoredPayload({ title: "T", text: "body" }), { title: "T", text: "body" }, "splade index build's payloads");
  assert.deepEqual(fromStoredPayload({ text: "body", url: "u", n: 1 }), { text: "body", payload: { url: "u", n: 1 } }, "other fields of a library payload");
  assert.deepEqual(fromStoredPayload({ title: "only a title", n: 5 }), { payload: { title: "only a title", n: 5 } });
  assert.deepEqual(fromStoredPayload([1, 2]), { payload: [1, 2] });
  assert.deepEqual(fromStoredPayload(undefined), {});
  assert.equal(encodedText({ title: "Tides", text: "moon" }), "Tides moon");
  assert.equal(encodedText({ text: "moon" }), "moon");
});
