/**
 * The pure parts of the engines layer: the OpenSearch feature-key rule over the whole BERT vocabulary,
 * query and document translation with their inverses, pgvector's sparsevec literal, the stored-weight
 * truncation of rank_features, exact rescoring held to brute force, and the retry loop.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { PACKAGED_VOCAB } from "../../src/app/bm25-encoder.js";
import { dot } from "../../src/sparse/ops.js";
import type { SparseVector } from "../../src/sparse/vector.js";
import { isSpladeError, SpladeError } from "../../src/util/errors.js";
import {
  decodeFeatureKey,
  encodeFeatureKey,
  FeatureKeys,
  fromOpenSearchQuery,
  fromRankFeatures,
  fromSparsevecLiteral,
  opensearchStoredWeight,
  toOpenSearchQuery,
  toRankFeatures,
  toSparsevecLiteral,
} from "../../src/index.js";
import { rescoreExactly, type Candidate } from "../../src/engines/exact-rescore.js";
import { backoffDelayMs, withRetries } from "../../src/engines/retry.js";
import { TransientEngineError } from "../../src/engines/engine.js";
import { postgresError } from "../../src/engines/postgres-errors.js";

const vocab = BertTokenizer.fromVocabFile(PACKAGED_VOCAB);
const keys = new FeatureKeys(vocab);

function vector(entries: Array<[number, number]>): SparseVector {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  return { indices: Uint32Array.from(sorted, (e) => e[0]), values: Float32Array.from(sorted, (e) => e[1]) };
}

test("feature keys: every BERT token maps to a distinct key without dots, and back", () => {
  const seen = new Map<string, number>();
  for (let id = 0; id < vocab.vocabSize; id++) {
    const key = keys.key(id);
    assert.ok(!key.includes("."), `token ${id} key ${key} has a dot`);
    assert.equal(seen.get(key), undefined, `tokens ${seen.get(key)} and ${id} share key ${key}`);
    seen.set(key, id);
    assert.equal(keys.id(key), id);
  }
  assert.equal(seen.size, 30522);
  assert.deepEqual(["." , "...", "##.", "%", "##%", "[CLS]", "", "a%2Eb"].map(encodeFeatureKey), ["%2E", "%2E%2E%2E", "##%2E", "%25", "##%25", "[CLS]", "", "a%252Eb"]);
  for (const bad of ["a.b", "%", "%2", "%41", "x%zz"]) assert.throws(() => decodeFeatureKey(bad), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT"));
  fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (s) => decodeFeatureKey(encodeFeatureKey(s)) === s));
});

test("OpenSearch documents and queries translate both ways (rank_feature and neural_sparse forms)", () => {
  const dotId = vocab.tokenToId(".")!;
  const v = vector([[dotId, 1.5], [vocab.tokenToId("tides")!, 0.25], [vocab.tokenToId("##.")!, 3]]);
  assert.deepEqual(toRankFeatures(v, keys), { "%2E": 1.5, tides: 0.25, "##%2E": 3 });
  assert.deepEqual(fromRankFeatures(toRankFeatures(v, keys), keys), v);
  const rf = toOpenSearchQuery(v, { keys });
  assert.deepEqual((rf.bool as { should: unknown[] }).should[0], { rank_feature: { field: "vector.%2E", linear: {}, boost: 1.5 } });
  assert.deepEqual(fromOpenSearchQuery(rf, { keys }), v);
  const ns = toOpenSearchQuery(v, { keys, mode: "neural_sparse", field: "v" });
  assert.deepEqual(ns, { neural_sparse: { v: { query_tokens: { "%2E": 1.5, tides: 0.25, "##%2E": 3 } } } });
  assert.deepEqual(fromOpenSearchQuery(ns, { keys, field: "v" }), v);
  assert.throws(() => fromOpenSearchQuery({ match_all: {} }, { keys }), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT"));
  assert.throws(() => fromOpenSearchQuery({ bool: { should: [{ rank_feature: { field: "other.x", linear: {} } }] } }, { keys }), /not under "vector"/);
  assert.throws(() => keys.key(30522), /outside the vocabulary/);
});

test("sparsevec literals: 1-based indices, float32 weights exact both ways", () => {
  assert.equal(toSparsevecLiteral(vector([[0, 0.5], [30521, 1.25]]), 30522), "{1:0.5,30522:1.25}/30522");
  assert.deepEqual(fromSparsevecLiteral("{1:0.5,30522:1.25}/30522"), { vector: vector([[0, 0.5], [30521, 1.25]]), dimension: 30522 });
  assert.deepEqual(fromSparsevecLiteral("{}/7").vector, vector([]));
  fc.assert(
    fc.property(fc.dictionary(fc.integer({ min: 0, max: 30521 }).map(String), fc.float({ min: Math.fround(1e-30), max: Math.fround(1e30), noNaN: true }), { maxKeys: 40 }), (d) => {
      const v = vector(Object.entries(d).map(([k, w]) => [Number(k), w]));
      assert.deepEqual(fromSparsevecLiteral(toSparsevecLiteral(v, 30522)).vector, v);
    }),
  );
  assert.throws(() => toSparsevecLiteral(vector([[5, 1]]), 5), /outside the vocabulary/);
  for (const bad of ["{1:x}/3", "{0:1}/3", "[1,2]", "{1:1}/", "{2:1,1:1}/3"]) assert.throws(() => fromSparsevecLiteral(bad), (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT"), bad);
});

test("rank_features keeps 8 mantissa bits: a relative loss below 2^-8, never an increase", () => {
  assert.equal(opensearchStoredWeight(1), 1);
  assert.equal(opensearchStoredWeight(1 + 2 ** -8), 1 + 2 ** -8);
  assert.equal(opensearchStoredWeight(1 + 2 ** -9), 1);
  fc.assert(fc.property(fc.float({ min: Math.fround(1e-30), max: Math.fround(1e30), noNaN: true }), (w) => {
    const s = opensearchStoredWeight(w);
    return s <= w && (w - s) / w < 2 ** -8;
  }));
});

test("exact rescoring over truncated engine scores equals brute force whenever it says complete", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 12 }), (seed, k) => {
      let state = seed;
      const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const docs = Array.from({ length: 60 }, (_, ordinal) => ({ ordinal, id: `d${ordinal}`, vector: vector(Array.from({ length: 8 }, (_, j) => [j * 3 + Math.floor(rand() * 3), Math.fround(0.5 + rand())] as [number, number]).filter((e, i, a) => a.findIndex((x) => x[0] === e[0]) === i)) }));
      const query = vector([[0, 1], [4, 0.7], [9, 1.3], [13, 0.2], [20, 2]]);
      const truncated = (v: SparseVector) => ({ indices: v.indices, values: v.values.map(opensearchStoredWeight) });
      const engine = docs.map((d) => ({ ...d, engineScore: dot(query, truncated(d.vector)) })).filter((d) => d.engineScore > 0)
        .sort((a, b) => b.engineScore - a.engineScore || a.ordinal - b.ordinal);
      const exact = docs.map((d) => ({ id: d.id, score: dot(query, d.vector), ordinal: d.ordinal })).filter((d) => d.score > 0)
        .sort((a, b) => b.score - a.score || a.ordinal - b.ordinal).slice(0, k);
      for (let window = k; ; window *= 2) {
        const { hits, complete } = rescoreExactly(query, engine.slice(0, window) as Candidate[], k, window);
        if (complete) {
          assert.deepEqual(hits, exact);
          return;
        }
        assert.ok(window < 1000);
      }
    }),
    { numRuns: 200 },
  );
});

test("retries: transient failures back off and succeed, or give up as NETWORK; other errors pass through", async () => {
  let calls = 0;
  const waits: number[] = [];
  const result = await withRetries("pushing", async () => {
    if (++calls < 3) throw new TransientEngineError("HTTP 429");
    return "ok";
  }, { baseDelayMs: 1, onRetry: ({ delayMs }) => waits.push(delayMs), random: () => 0.999 });
  assert.equal(result, "ok");
  assert.equal(calls, 3);
  assert.deepEqual(waits, [0, 1]);
  await assert.rejects(withRetries("pushing", async () => { throw new TransientEngineError("HTTP 503"); }, { retries: 2, baseDelayMs: 1 }), (e: unknown) => isSpladeError(e, "NETWORK") && /HTTP 503 \(gave up after 3 attempts\)/.test((e as Error).message));
  await assert.rejects(withRetries("pushing", async () => { throw new SpladeError("CONFLICT", "no"); }), (e: unknown) => isSpladeError(e, "CONFLICT"));
  assert.equal(backoffDelayMs(10, { baseDelayMs: 250, maxDelayMs: 10_000, random: () => 0.5 }), 5000);
});

test("PostgreSQL errors by SQLSTATE: authentication and wrong database are NETWORK, shape errors CONFLICT, connection loss transient", () => {
  // pg's DatabaseError carries the server's SQLSTATE in `code`; PGlite has no authentication, so 28P01 cannot
  // come from the live server of these tests: the classification is held here.
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
  const classify = (e: unknown) => postgresError(e, "pushing", "PostgreSQL table \"t\"");
  assert.ok(isSpladeError(classify(pgError("28P01", "password authentication failed for user \"u\"")), "NETWORK"));
  assert.match(classify(pgError("28P01", "password authentication failed")).message, /authentication failed/);
  assert.ok(isSpladeError(classify(pgError("3D000", "database \"x\" does not exist")), "NETWORK"));
  assert.ok(isSpladeError(classify(pgError("42804", "column is of type vector")), "CONFLICT"));
  assert.ok(isSpladeError(classify(pgError("42P01", "relation does not exist")), "NOT_FOUND"));
  assert.ok(classify(pgError("ECONNREFUSED", "connect ECONNREFUSED")) instanceof TransientEngineError);
  assert.ok(classify(pgError("57P01", "terminating connection due to administrator command")) instanceof TransientEngineError);
  assert.ok(classify(new Error("Connection terminated unexpectedly")) instanceof TransientEngineError);
});
