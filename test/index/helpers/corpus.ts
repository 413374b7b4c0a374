/** Deterministic small corpora for the index tests: document i is generated from a seed and i alone. */
import { Rng } from "../../../src/util/rng.js";
import { fromEntries } from "../../../src/sparse/ops.js";
import type { SparseVector } from "../../../src/sparse/vector.js";
import type { IndexDocument } from "../../../src/index/segment-builder.js";
import { bruteForceSearch } from "../../../src/index/brute-force.js";

/** Document i: up to `nnz` terms of a `vocab`-term vocabulary with weights in (0, 3]. */
export function syntheticVector(seed: number, i: number, vocab = 200, nnz = 12): SparseVector {
  const rng = new Rng(seed * 1_000_003 + i);
  const entries: Array<[number, number]> = [];
  for (let k = 0; k < nnz; k++) entries.push([rng.int(vocab), 0.05 + 3 * rng.next()]);
  return fromEntries(new Map(entries));
}

export function syntheticDocuments(seed: number, from: number, count: number, options: { vocab?: number; nnz?: number; payload?: boolean } = {}): IndexDocument[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const vector = syntheticVector(seed, i, options.vocab, options.nnz);
    return options.payload ? { id: `doc-${i}`, vector, payload: { title: `Title ${i}`, n: i } } : { id: `doc-${i}`, vector };
  });
}

/** Brute-force top-k over live documents, as (id, score) pairs. */
export function expectedHits(documents: readonly IndexDocument[], query: SparseVector, k: number): Array<{ id: string; score: number }> {
  return bruteForceSearch(documents.map((d) => d.vector), query, { k }).map(({ ordinal, score }) => ({ id: documents[ordinal].id, score }));
}
