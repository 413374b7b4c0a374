/**
 * Reciprocal-rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ_lists 1 / (k + rank(d)),
 * rank starting at 1, k = 60 by default (defaults.ts). Combines result lists of different indexes (e.g. BM25
 * and SPLADE) whose scores are not comparable. Ties: score descending, then first appearance (earlier list,
 * then better rank), so the fused order is deterministic. The first payload seen for an id is kept.
 */
import { check } from "../util/errors.js";
import { RRF_DEFAULTS } from "./defaults.js";

export interface FusedHit {
  readonly id: string;
  readonly score: number;
  readonly payload?: unknown;
}

export function reciprocalRankFusion(
  lists: ReadonlyArray<ReadonlyArray<{ readonly id: string; readonly payload?: unknown }>>,
  options: { k?: number; limit?: number } = {},
): FusedHit[] {
  const k = options.k ?? RRF_DEFAULTS.k;
  check(Number.isFinite(k) && k >= 0, `RRF k must be a non-negative number, got ${k}`);
  const fused = new Map<string, { score: number; first: number; payload?: unknown }>();
  let appearance = 0;
  for (const list of lists) {
    list.forEach((hit, i) => {
      const entry = fused.get(hit.id);
      const contribution = 1 / (k + i + 1);
      if (entry === undefined) fused.set(hit.id, { score: contribution, first: appearance++, payload: hit.payload });
      else {
        entry.score += contribution;
        if (entry.payload === undefined) entry.payload = hit.payload;
      }
    });
  }
  const ranked = [...fused.entries()].sort((a, b) => b[1].score - a[1].score || a[1].first - b[1].first);
  return ranked.slice(0, options.limit ?? ranked.length).map(([id, e]) => (e.payload === undefined ? { id, score: e.score } : { id, score: e.score, payload: e.payload }));
}
