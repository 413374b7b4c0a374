/**
 * The oracle: scores every document with sparse/ops.ts `dot` and keeps the top k (score > 0; ties by
 * ordinal). Quadratic and allocation-happy on purpose: it shares no code with the index algorithms, so the
 * property tests that hold them equal mean something.
 */
import { dot } from "../sparse/ops.js";
import type { SparseVector } from "../sparse/vector.js";
import type { ScoredOrdinal } from "./top-k.js";

export function bruteForceSearch(
  documents: readonly SparseVector[],
  query: SparseVector,
  options: { k: number; isDeleted?: (ordinal: number) => boolean },
): ScoredOrdinal[] {
  const scored: ScoredOrdinal[] = [];
  documents.forEach((doc, ordinal) => {
    if (options.isDeleted?.(ordinal)) return;
    const score = dot(query, doc);
    if (score > 0) scored.push({ ordinal, score });
  });
  scored.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
  return scored.slice(0, options.k);
}
