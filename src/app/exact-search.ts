/**
 * The exact search evaluation retrieves with: the index's exhaustive algorithm over one in-memory segment
 * of the corpus (float32 impacts, no document reordering, so ordinals are corpus positions and ties break
 * by corpus order), returning hits scoring > 0 by score descending. Equal to brute-force scoring: the
 * index's own tests hold its algorithms to its oracle, and test/eval/exact-search.test.ts holds this one.
 * - `dotProductSearch`: SPLADE and any vectors compared by dot product;
 * - `bm25Search`: term-count vectors; documents become Lucene BM25 impacts, each query term is weighted by
 *   count·idf with the corpus' document frequencies (index/bm25.ts);
 * - `exactSearch`: one of the two by the weighting an index would apply (a DocumentEncoder's indexSettings).
 * `corpusSearch` is the same with the index's approximate search on request (`splade eval --approximate`): the
 * segment is then built as an index builds it (graph-bisection reordering, approximate structures with their
 * default knobs); ordinals stay corpus positions either way (reordering is internal to a segment).
 * Dimensions: N documents, K depth.
 */
import type { SparseVector } from "../sparse/vector.js";
import { SegmentBuilder } from "../index/segment-builder.js";
import { resolveApproximateSearch, searchSegments } from "../index/search.js";
import type { ApproximateSearchOptions } from "../index/approximate-search.js";
import type { Weighting } from "../index/segment.js";
import { bm25AvgDocLength, bm25QueryWeight, type Bm25Parameters } from "../index/bm25.js";
import { APPROXIMATE_BUILD_DEFAULTS, INDEX_DEFAULTS } from "../index/defaults.js";
import type { TopKSearch } from "../eval/encoded-evaluation.js";

/** Approximate search knobs (true: the defaults), or null for exact search. */
type Approximate = ApproximateSearchOptions | null;

function buildLive(corpus: readonly SparseVector[], weighting: Weighting, approximate: Approximate) {
  const builder = new SegmentBuilder({
    blockSize: INDEX_DEFAULTS.blockSize,
    superblockSize: INDEX_DEFAULTS.superblockSize,
    impact: "f32",
    weighting,
    // Exact: no reordering (nothing to gain for one exhaustive pass). Approximate: as an index is built.
    reorder: approximate === null ? "none" : INDEX_DEFAULTS.reorder,
    approximate: approximate === null ? false : APPROXIMATE_BUILD_DEFAULTS,
  });
  corpus.forEach((vector, i) => builder.add({ id: String(i), vector }));
  const context = weighting.kind === "bm25" ? { avgDocLength: bm25AvgDocLength(builder.sumDocLength, builder.docCount) } : {};
  return [{ segment: builder.build(context), deleted: null, baseOrdinal: 0 }];
}

function searchAll(live: ReturnType<typeof buildLive>, queries: readonly SparseVector[], k: number, approximate: Approximate) {
  const options = approximate === null ? { k, algorithm: "exhaustive" as const } : { k, approximate };
  return queries.map((query) => searchSegments(live, query, options).map((hit) => ({ doc: hit.ordinal, score: hit.score })));
}

export function dotProductSearch(corpus: readonly SparseVector[], approximate: Approximate = null): TopKSearch {
  const live = buildLive(corpus, { kind: "none" }, approximate);
  return (queries, k) => searchAll(live, queries, k, approximate);
}

export function bm25Search(corpus: readonly SparseVector[], parameters: Bm25Parameters, approximate: Approximate = null): TopKSearch {
  const live = buildLive(corpus, { kind: "bm25", ...parameters }, approximate);
  const docFreq = new Map<number, number>();
  for (const vector of corpus) for (const term of vector.indices) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
  const weigh = (query: SparseVector): SparseVector => ({
    indices: query.indices,
    values: Float32Array.from(query.indices, (term, i) => bm25QueryWeight(query.values[i], docFreq.get(term) ?? 0, corpus.length)),
  });
  return (queries, k) => searchAll(live, queries.map(weigh), k, approximate);
}

/** The exact search for vectors an index weighs with `weighting` (default none: dot product). */
export function exactSearch(corpus: readonly SparseVector[], weighting: Weighting = { kind: "none" }): TopKSearch {
  return corpusSearch(corpus, weighting);
}

/** Exact search as `exactSearch`, or approximate with these knobs (true: the defaults; validated here). */
export function corpusSearch(corpus: readonly SparseVector[], weighting: Weighting = { kind: "none" }, approximate?: boolean | Partial<ApproximateSearchOptions>): TopKSearch {
  const knobs = resolveApproximateSearch(approximate);
  return weighting.kind === "bm25" ? bm25Search(corpus, { k1: weighting.k1, b: weighting.b }, knobs) : dotProductSearch(corpus, knobs);
}
