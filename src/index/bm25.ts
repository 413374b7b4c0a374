/**
 * BM25 as impacts: the index stores, per posting, the length-normalized term frequency
 *   tfnorm(tf, dl) = tf / (tf + k1·(1 − b + b·dl'/avgdl))          (dl' = Lucene's one-byte length, small-float.ts)
 * and the query carries count(t)·idf(t) with Lucene's idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)), so that the
 * index's dot product is Lucene ≥ 8's BM25 (no (k1 + 1) factor; BM25Similarity.java) summed over query terms,
 * each boosted by its count as in Anserini's bag-of-words query generator.
 *
 * Collection statistics under add/delete/merge (documented choice):
 * - idf is applied at query time from the index's *current* N and df, counted over all segments including
 *   deleted documents until a merge removes them, which is what Lucene does (docFreq and docCount include
 *   deletions until merge).
 * - avgdl is baked into impacts when a segment is built; each segment remembers its avgdl. A segment added
 *   later is built with the avgdl of the whole collection at that moment; merging recomputes every impact
 *   from the stored tf and dl with the merged collection's avgdl. Lucene recomputes avgdl per query, so
 *   between an add and the next merge older segments differ from Lucene by the avgdl drift only.
 * Float arithmetic follows BM25Similarity: idf, avgdl and the norm cache are float32.
 */
import { SpladeError } from "../util/errors.js";
import { byte4ToInt, intToByte4 } from "./small-float.js";

export interface Bm25Parameters {
  readonly k1: number;
  readonly b: number;
}

export function validateBm25Parameters(params: Bm25Parameters): void {
  if (!(Number.isFinite(params.k1) && params.k1 >= 0)) throw new SpladeError("INVALID_ARGUMENT", `BM25 k1 must be ≥ 0, got ${params.k1}`);
  if (!(Number.isFinite(params.b) && params.b >= 0 && params.b <= 1)) throw new SpladeError("INVALID_ARGUMENT", `BM25 b must be in [0, 1], got ${params.b}`);
}

/** Lucene's idf as float32: ln(1 + (N − df + 0.5)/(df + 0.5)). */
export function bm25Idf(docFreq: number, docCount: number): number {
  return Math.fround(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** Lucene's average field length: sumTotalTermFreq / docCount, as float32. */
export function bm25AvgDocLength(sumDocLength: number, docCount: number): number {
  return docCount === 0 ? 1 : Math.fround(sumDocLength / docCount);
}

/**
 * The per-norm-byte factor 1 / (k1·((1 − b) + b·dl'/avgdl)) in float32, as BM25Similarity's `cache`.
 * Index 0..255 is the norm byte of the document length.
 */
export function bm25NormInverseTable(params: Bm25Parameters, avgDocLength: number): Float32Array {
  const f = Math.fround;
  const k1 = f(params.k1);
  const b = f(params.b);
  const avgdl = f(avgDocLength);
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    table[i] = f(1 / f(k1 * f(f(1 - b) + f(f(b * byte4ToInt(i)) / avgdl))));
  }
  return table;
}

/**
 * tfnorm for a posting: tf·ni / (1 + tf·ni) = tf / (tf + k1·(…)), float32. With k1 = 0 it is 1 (term presence).
 */
export function bm25TermImpact(termFrequency: number, docLength: number, normInverse: Float32Array): number {
  const ni = normInverse[intToByte4(docLength)];
  if (!Number.isFinite(ni)) return 1;
  const x = termFrequency * ni;
  return Math.fround(x / (1 + x));
}

/** Query weight of a term occurring `count` times in the query: count·idf (Anserini boosts by count). */
export function bm25QueryWeight(count: number, docFreq: number, docCount: number): number {
  return Math.fround(count * bm25Idf(docFreq, docCount));
}

/** Term-frequency vector of a token-id sequence (documents and queries of a BM25 index). */
export function termFrequencyVector(tokenIds: ArrayLike<number>): { indices: Uint32Array; values: Float32Array } {
  const sorted = Uint32Array.from(tokenIds).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const indices = new Uint32Array(distinct);
  const values = new Float32Array(distinct);
  for (let i = 0, k = -1; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) indices[++k] = sorted[i];
    values[k]++;
  }
  return { indices, values };
}
