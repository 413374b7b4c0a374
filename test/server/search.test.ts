/**
 * POST /search over real HTTP: answers equal `splade search`'s use-case (app/search-indexes.ts) for one
 * index and for RRF over two; a vector query equals SparseIndex.search; several queries equal one by one;
 * explain's contributions add up to each hit's score exactly and mark SPLADE's expansion terms.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { searchIndexes } from "../../src/app/search-indexes.js";
import { createEncoder } from "../../src/app/encoders.js";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { buildIndex, tempDir, SPLADE_MODEL } from "./helpers/indexes.js";
import { post, startServer } from "./helpers/http.js";

const QUERIES = ["what causes ocean tides", "virus and the immune system", "carbon dioxide from plants and cells"];

interface Contribution {
  token: string;
  tokenId: number;
  queryWeight: number;
  documentWeight: number;
  contribution: number;
  expansion: boolean;
}

/** Σ contributions in ascending token order, in float64: how the index sums a score. */
function sumInIndexOrder(terms: Contribution[]): number {
  return [...terms].sort((a, b) => a.tokenId - b.tokenId).reduce((s, t) => s + t.queryWeight * t.documentWeight, 0);
}

test("search one BM25 index: hits, payloads and scores equal `splade search`; explain sums to each score", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25] });
  const expected = await searchIndexes([bm25], QUERIES.map((text, i) => ({ id: String(i), text })), { k: 5 });
  for (let i = 0; i < QUERIES.length; i++) {
    const r = await post(url, "/search", { query: QUERIES[i], k: 5, explain: true });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.hits.map((h: { id: string; score: number }) => [h.id, h.score]), expected[i].hits.map((h) => [h.id, h.score]));
    assert.deepEqual(r.body.generations, { facts: 1 });
    assert.ok(r.body.tookMs >= 0 && r.body.tookMs < 10_000);
    const top = r.body.hits[0];
    const stored = expected[i].hits[0].payload as { title?: string; text: string };
    assert.equal(top.text, stored.text);
    assert.equal(top.title, stored.title);
    for (const hit of r.body.hits) {
      assert.equal(hit.explanation.length, 1);
      const [source] = hit.explanation;
      assert.equal(source.index, "facts");
      assert.equal(source.score, hit.score);
      assert.equal(sumInIndexOrder(source.terms), hit.score, `contributions of ${hit.id} add up to its score exactly`);
      const contributions = source.terms.map((x: Contribution) => x.contribution);
      assert.deepEqual(contributions, [...contributions].sort((a, b) => b - a), "largest contribution first");
      for (const term of source.terms) {
        assert.equal(term.contribution, term.queryWeight * term.documentWeight);
        assert.equal(term.expansion, false, "BM25 has no expansion terms");
      }
    }
    const [queryVector] = r.body.queryVectors;
    assert.equal(queryVector.index, "facts");
    const index = await SparseIndex.open(bm25);
    const encoder = await createEncoder("bm25");
    const [counts] = await encoder.encodeQueries([QUERIES[i]]);
    const scored = index.queryVector(counts);
    assert.deepEqual(
      [...queryVector.terms].sort((a: Contribution, b: Contribution) => a.tokenId - b.tokenId).map((x: { tokenId: number; weight: number }) => [x.tokenId, x.weight]),
      Array.from(scored.indices, (id, j) => [id, scored.values[j]]),
      "the query vector as scored (count · idf)",
    );
  }
});

test("search with a vector, and several queries in one request", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const { url } = await startServer(t, { indexes: [bm25] });
  const index = await SparseIndex.open(bm25);
  const [counts] = await (await createEncoder("bm25")).encodeQueries(["ocean ocean tides"]);
  const vector = { indices: Array.from(counts.indices), values: Array.from(counts.values) }; // term counts: BM25 applies idf
  const direct = index.search(counts, { k: 3 });
  assert.equal(direct.length, 3);
  const byVector = await post(url, "/search", { vector, k: 3 });
  assert.equal(byVector.status, 200, byVector.text);
  assert.deepEqual(byVector.body.hits.map((h: { id: string; score: number }) => [h.id, h.score]), direct.map((h) => [h.id, h.score]));
  const one = await Promise.all(QUERIES.map((query) => post(url, "/search", { query, k: 4 })));
  const batch = await post(url, "/search", { queries: [...QUERIES.map((query) => ({ query })), { vector }], k: 4 });
  assert.equal(batch.status, 200, batch.text);
  assert.equal(batch.body.results.length, QUERIES.length + 1);
  QUERIES.forEach((_, i) => assert.deepEqual(batch.body.results[i].hits, one[i].body.hits));
  assert.deepEqual(batch.body.results[3].hits.slice(0, 3).map((h: { id: string }) => h.id), direct.map((h) => h.id));
  const bare = await post(url, "/search", { query: QUERIES[0], k: 4, stored: false });
  assert.deepEqual(bare.body.hits, one[0].body.hits.map((h: { id: string; score: number }) => ({ id: h.id, score: h.score })), "ids and scores only");
});

test("search two indexes fused with RRF equals `splade search --fusion rrf`; explain gives each index's rank and sum", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const splade = await buildIndex(dir, "neural", SPLADE_MODEL);
  const { url } = await startServer(t, { indexes: [bm25, splade], threads: 1 });
  const expected = await searchIndexes([bm25, splade], QUERIES.map((text, i) => ({ id: String(i), text })), { k: 6, fusion: "rrf", encoder: { splade: { threads: 1 } } });
  for (let i = 0; i < QUERIES.length; i++) {
    const r = await post(url, "/search", { query: QUERIES[i], k: 6, explain: true, indexes: ["facts", "neural"], fusion: "rrf" });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.hits.map((h: { id: string; score: number }) => [h.id, h.score]), expected[i].hits.map((h) => [h.id, h.score]));
    for (const hit of r.body.hits) {
      const rrf = hit.explanation.reduce((s: number, e: { rank: number }) => s + 1 / (60 + e.rank), 0);
      assert.ok(Math.abs(rrf - hit.score) < 1e-15, "the fused score is Σ 1/(60 + rank) over the indexes it came from");
      for (const source of hit.explanation) assert.equal(sumInIndexOrder(source.terms), source.score);
    }
  }
  const defaults = await post(url, "/search", { query: QUERIES[0], k: 6 });
  assert.deepEqual(defaults.body.hits.map((h: { id: string }) => h.id), expected[0].hits.map((h) => h.id), "all indexes with RRF by default");
});

test("explain on a SPLADE index marks expansion terms: tokens the query text does not contain", async (t) => {
  const dir = tempDir("splade-serve-");
  const splade = await buildIndex(dir, "neural", SPLADE_MODEL);
  const { url } = await startServer(t, { indexes: [splade], threads: 1 });
  const query = "ocean tides and the moon";
  const r = await post(url, "/search", { query, k: 3, explain: true });
  assert.equal(r.status, 200, r.text);
  const encoder = await createEncoder(SPLADE_MODEL, { splade: { threads: 1 } });
  t.after(() => encoder.release());
  const [vector] = await encoder.encodeQueries([query]);
  const own = new Set(encoder.textTokenIds!(query));
  const terms = r.body.queryVectors[0].terms as Array<{ tokenId: number; weight: number; expansion: boolean; token: string }>;
  assert.deepEqual([...terms].sort((a, b) => a.tokenId - b.tokenId).map((x) => [x.tokenId, x.weight]), Array.from(vector.indices, (id, i) => [id, vector.values[i]]));
  for (const term of terms) {
    assert.equal(term.expansion, !own.has(term.tokenId), term.token);
    assert.equal(term.token, encoder.tokenLookup.idToToken(term.tokenId));
  }
  assert.ok(terms.some((x) => x.expansion), "the random-weight fixture model expands the query");
  for (const hit of r.body.hits) {
    const [source] = hit.explanation;
    assert.equal(sumInIndexOrder(source.terms), hit.score);
    for (const term of source.terms) assert.equal(term.expansion, !own.has(term.tokenId));
  }
});

test("an exhaustive-search server answers exactly what the default (block-max pruning) one does", async (t) => {
  const dir = tempDir("splade-serve-");
  const bm25 = await buildIndex(dir, "facts");
  const pruned = await startServer(t, { indexes: [bm25], readOnly: true });
  const exhaustive = await startServer(t, { indexes: [bm25], readOnly: true, algorithm: "exhaustive" });
  for (const query of QUERIES) {
    const a = await post(pruned.url, "/search", { query, k: 7, explain: true });
    const b = await post(exhaustive.url, "/search", { query, k: 7, explain: true });
    assert.deepEqual({ ...b.body, tookMs: 0 }, { ...a.body, tookMs: 0 });
  }
});
