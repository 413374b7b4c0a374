/**
 * What every DocumentEncoder calls its vector's dimensions, and what explain makes of it: tokens for BM25 and
 * SPLADE (with expansion marks against the query text's own tokens), and for a CSR model, whose dimensions are
 * latent features, the dimension numbers, with no expansion marks (a latent dimension is not a token of the
 * text, so comparing it with token ids would mark terms at random).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEncoder } from "../../src/app/encoders.js";
import { explainedQuery, explainHit, queryTerms } from "../../src/app/explain.js";
import { SparseIndex } from "../../src/index/sparse-index.js";

const DOCS = ["The moon's gravity causes ocean tides.", "Plants turn light and water into sugar."];
const QUERY = "why do oceans have tides";

for (const model of ["bm25", "test/fixtures/tiny-bert-splade"]) {
  test(`${model}: dimensions are tokens, and query terms outside the text's own tokens are expansions`, async (t) => {
    const encoder = await createEncoder(model, { splade: { threads: 1 } });
    t.after(() => encoder.release());
    const tides = encoder.tokenLookup.tokenToId("tides")!;
    assert.equal(encoder.tokenLookup.idToToken(tides), "tides");
    const own = new Set(encoder.textTokenIds!(QUERY));
    assert.ok(own.has(tides));
    const vectors = await encoder.encodeDocuments(DOCS);
    const index = SparseIndex.fromDocuments(vectors.map((vector, i) => ({ id: `d${i}`, vector })), { settings: encoder.indexSettings });
    const [query] = await encoder.encodeQueries([QUERY]);
    const explained = explainedQuery(index, query, encoder, QUERY);
    const terms = queryTerms(explained);
    assert.deepEqual(terms.map((x) => x.tokenId).sort((a, b) => a - b), Array.from(explained.scored.indices).sort((a, b) => a - b));
    for (const term of terms) {
      assert.equal(term.token, encoder.tokenLookup.idToToken(term.tokenId));
      assert.equal(term.expansion, !own.has(term.tokenId), term.token);
    }
    const contributions = explainHit(index, 0, explained);
    assert.ok(contributions.length > 0);
    for (const c of contributions) assert.equal(c.token, encoder.tokenLookup.idToToken(c.tokenId));
    // BM25 scores the text's own terms only; the random-weight SPLADE fixture expands the query.
    if (model === "bm25") assert.ok(contributions.some((c) => c.token === "tides" && !c.expansion));
    else assert.ok(terms.some((x) => x.expansion));
  });
}

test("CSR: dimensions are latent, named by their numbers, and no query term is called an expansion", async (t) => {
  const encoder = await createEncoder("test/fixtures/tiny-csr", { splade: { threads: 1 } });
  t.after(() => encoder.release());
  assert.equal(encoder.textTokenIds, undefined);
  assert.equal(encoder.tokenLookup.idToToken(5), "5");
  assert.equal(encoder.tokenLookup.tokenToId("5"), 5);
  assert.equal(encoder.tokenLookup.tokenToId("tides"), undefined);
  assert.equal(encoder.tokenLookup.tokenToId(String(encoder.vocabSize)), undefined);
  const vectors = await encoder.encodeDocuments(DOCS);
  const index = SparseIndex.fromDocuments(vectors.map((vector, i) => ({ id: `d${i}`, vector })), { settings: encoder.indexSettings });
  const [query] = await encoder.encodeQueries([QUERY]);
  const explained = explainedQuery(index, query, encoder, QUERY);
  const terms = queryTerms(explained);
  assert.ok(terms.length > 0);
  for (const term of terms) {
    assert.equal(term.token, String(term.tokenId));
    assert.equal(term.expansion, false);
  }
  const contributions = explainHit(index, 0, explained);
  assert.ok(contributions.length > 0, "the CSR vectors of a query and a document share dimensions");
  for (const c of contributions) assert.equal(c.token, String(c.tokenId));
});
