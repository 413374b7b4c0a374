/**
 * POST /search as a use-case over served indexes: each index's snapshot is taken once (a request reads one
 * consistent generation per index), query texts are encoded once per model lane, each index is searched
 * exactly, and several indexes are fused with reciprocal-rank fusion over the top max(k, fusionDepth) of
 * each (as `splade search`). With explain, every hit carries, per index it came from, its rank, its score
 * there and the term contributions that add up to that score (app/explain.ts), and the answer carries each
 * index's query vector as tokens and weights.
 */
import type { SparseVector } from "../sparse/vector.js";
import type { SparseIndex } from "../index/sparse-index.js";
import { reciprocalRankFusion } from "../index/fusion.js";
import { RRF_DEFAULTS } from "../index/defaults.js";
import type { SearchAlgorithm } from "../index/search.js";
import { explainedQuery, explainHit, queryTerms, type ExplainedQuery, type QueryTermWeight, type TermContribution } from "../app/explain.js";
import type { ServedIndex } from "./served-index.js";
import type { EncoderLane } from "./encoder-lane.js";
import { fromStoredPayload } from "./stored-document.js";

export interface SearchQuery {
  readonly text: string | null;
  readonly vector: SparseVector | null;
}

export interface SearchSettings {
  readonly k: number;
  readonly rrfK?: number;
  readonly fusionDepth: number;
  /** Exact search algorithm (index/search.ts; both give the same hits). */
  readonly algorithm?: SearchAlgorithm;
  readonly explain: boolean;
  /** Return the stored documents with the hits. */
  readonly stored: boolean;
  /** Seconds spent searching one index (metrics). */
  readonly observe?: (index: string, seconds: number) => void;
}

export interface HitExplanation {
  index: string;
  rank: number;
  score: number;
  terms: TermContribution[];
}

export interface Hit {
  id: string;
  score: number;
  title?: string;
  text?: string;
  payload?: unknown;
  explanation?: HitExplanation[];
}

export interface QueryResult {
  hits: Hit[];
  queryVectors?: Array<{ index: string; terms: QueryTermWeight[] }>;
}

interface Ranked {
  readonly ordinal: number;
  readonly id: string;
  readonly score: number;
}

interface Target {
  readonly served: ServedIndex;
  readonly snapshot: SparseIndex;
}

async function encodeTexts(targets: readonly Target[], queries: readonly SearchQuery[]): Promise<Map<EncoderLane, SparseVector[]>> {
  const texts = queries.filter((q) => q.text !== null).map((q) => q.text!);
  const lanes = [...new Set(targets.map((t) => t.served.lane))];
  const encoded = await Promise.all(lanes.map((lane) => lane.encode("query", texts)));
  return new Map(lanes.map((lane, i) => [lane, encoded[i]]));
}

export async function searchServed(indexes: readonly ServedIndex[], queries: readonly SearchQuery[], settings: SearchSettings): Promise<{ results: QueryResult[]; generations: Record<string, number> }> {
  const targets: Target[] = indexes.map((served) => ({ served, snapshot: served.snapshot }));
  const encoded = await encodeTexts(targets, queries);
  const fused = targets.length > 1;
  const depth = fused ? Math.max(settings.k, settings.fusionDepth) : settings.k;
  let textAt = 0;
  const results = queries.map((query): QueryResult => {
    const textIndex = query.text !== null ? textAt++ : -1;
    const perIndex = targets.map(({ served, snapshot }) => {
      const vector = query.vector ?? encoded.get(served.lane)![textIndex];
      const started = performance.now();
      const ranked: Ranked[] = snapshot.search(vector, { k: depth, withPayload: false, algorithm: settings.algorithm });
      settings.observe?.(served.name, (performance.now() - started) / 1000);
      const explained = settings.explain ? explainedQuery(snapshot, vector, served.lane.encoder, query.text) : null;
      const rankOf = new Map(ranked.map((r, i) => [r.id, i]));
      return { served, snapshot, ranked, rankOf, explained };
    });
    const order: Array<{ id: string; score: number }> = fused
      ? reciprocalRankFusion(perIndex.map((p) => p.ranked), { k: settings.rrfK ?? RRF_DEFAULTS.k, limit: settings.k })
      : perIndex[0].ranked;
    const hits = order.map(({ id, score }): Hit => {
      let stored: unknown;
      const explanation: HitExplanation[] = [];
      for (const { served, snapshot, ranked, rankOf, explained } of perIndex) {
        const rank = rankOf.get(id);
        if (rank === undefined) continue;
        if (stored === undefined && settings.stored) stored = snapshot.document(ranked[rank].ordinal).payload;
        if (explained !== null) explanation.push({ index: served.name, rank: rank + 1, score: ranked[rank].score, terms: explainHit(snapshot, ranked[rank].ordinal, explained as ExplainedQuery) });
      }
      return { id, score, ...fromStoredPayload(stored), ...(settings.explain ? { explanation } : {}) };
    });
    if (!settings.explain) return { hits };
    return { hits, queryVectors: perIndex.map(({ served, explained }) => ({ index: served.name, terms: queryTerms(explained!) })) };
  });
  return { results, generations: Object.fromEntries(targets.map(({ served, snapshot }) => [served.name, snapshot.generation ?? 0])) };
}
