/**
 * Why a document matched: a score of the index is Σ over the query's terms of (query weight as scored) ·
 * (stored document impact), summed in ascending term order in float64 (sparse/ops.ts), so each term's
 * product is its contribution and the contributions add up to the score. For SPLADE this shows the
 * expansion terms: weights the model gave to tokens the query text does not contain. BM25 queries carry
 * count · idf (index/bm25.ts) and documents their length-normalised term frequency, so the same holds.
 */
import type { SparseVector } from "../sparse/vector.js";
import type { SparseIndex } from "../index/sparse-index.js";
import { storedImpacts } from "../index/stored-impacts.js";
import type { DocumentEncoder, TokenLookup } from "./document-encoder.js";

export interface QueryTermWeight {
  readonly token: string;
  readonly tokenId: number;
  /** The weight as scored (BM25: count · idf). */
  readonly weight: number;
  /** The token is not one of the query text's own tokens (a model expansion). */
  readonly expansion: boolean;
}

export interface TermContribution {
  readonly token: string;
  readonly tokenId: number;
  readonly queryWeight: number;
  readonly documentWeight: number;
  /** queryWeight · documentWeight. */
  readonly contribution: number;
  readonly expansion: boolean;
}

/** What explain needs about the query: its vector as the index scores it and the text's own tokens. */
export interface ExplainedQuery {
  readonly scored: SparseVector;
  /** Names of the dimensions (absent: terms are named #id). */
  readonly names: TokenLookup | undefined;
  /** Token ids of the query text (null for a query given as a vector, or dimensions that are not tokens). */
  readonly textTokens: ReadonlySet<number> | null;
}

/** The query `query` (text `text`, or null when given as a vector) of an index whose vectors `encoder` made. */
export function explainedQuery(index: SparseIndex, query: SparseVector, encoder: Pick<DocumentEncoder, "tokenLookup" | "textTokenIds"> | undefined, text: string | null): ExplainedQuery {
  return {
    scored: index.queryVector(query),
    names: encoder?.tokenLookup,
    textTokens: text === null || encoder?.textTokenIds === undefined ? null : new Set(encoder.textTokenIds(text)),
  };
}

/** Dimension `id`'s name, or `#id` where there is none. */
export function dimensionName(names: TokenLookup | undefined, id: number): string {
  if (names === undefined) return `#${id}`;
  try {
    return names.idToToken(id);
  } catch {
    return `#${id}`;
  }
}

const isExpansion = (q: ExplainedQuery, id: number) => q.textTokens !== null && !q.textTokens.has(id);

/** The query's terms, largest weight first (ties by token id). */
export function queryTerms(q: ExplainedQuery): QueryTermWeight[] {
  const terms: QueryTermWeight[] = [];
  for (let i = 0; i < q.scored.indices.length; i++) {
    const id = q.scored.indices[i];
    terms.push({ token: dimensionName(q.names, id), tokenId: id, weight: q.scored.values[i], expansion: isExpansion(q, id) });
  }
  return terms.sort((a, b) => b.weight - a.weight || a.tokenId - b.tokenId);
}

/** Every term that contributes to document `ordinal`'s score, largest contribution first (ties by token id). */
export function explainHit(index: SparseIndex, ordinal: number, q: ExplainedQuery): TermContribution[] {
  const impacts = storedImpacts(index, ordinal, q.scored.indices);
  const terms: TermContribution[] = [];
  for (let i = 0; i < impacts.length; i++) {
    if (impacts[i] === 0 || q.scored.values[i] === 0) continue;
    const id = q.scored.indices[i];
    const queryWeight = q.scored.values[i];
    terms.push({ token: dimensionName(q.names, id), tokenId: id, queryWeight, documentWeight: impacts[i], contribution: queryWeight * impacts[i], expansion: isExpansion(q, id) });
  }
  return terms.sort((a, b) => b.contribution - a.contribution || a.tokenId - b.tokenId);
}
