/**
 * Use-case behind `splade search --engine …`: encode queries with the model the target recorded when it was
 * created (or an override), translate each into the engine's native query (OpenSearch: opensearch-query.ts;
 * PostgreSQL: `ORDER BY vector <#> $1`), and return the same QueryResult shape as local search
 * (app/search-indexes.ts), so the CLI prints the same --json and --trec output and `splade eval-run`
 * scores either. BM25 targets weigh query term counts by the idf the target stores (target-meta.ts).
 */
import { SpladeError } from "../util/errors.js";
import type { QueryResult, QueryText } from "../app/search-indexes.js";
import { createEncoder, encoderFromRecord, type EncoderOptions } from "../app/encoders.js";
import type { DocumentEncoder } from "../app/document-encoder.js";
import { INDEX_DEFAULTS } from "../index/defaults.js";
import type { EngineTarget } from "./engine.js";
import { engineQueryVector } from "./target-meta.js";

export interface EngineSearchOptions {
  readonly k?: number;
  /** Encode queries with this model spec instead of the one the target records. */
  readonly model?: string;
  readonly encoder?: EncoderOptions;
  /** Per answered query: its latency (benchmarks, progress). */
  readonly onQuery?: (info: { done: number; total: number; latencyMs: number }) => void;
}

export async function searchEngineTarget(target: EngineTarget, queries: readonly QueryText[], options: EngineSearchOptions = {}): Promise<QueryResult[]> {
  const meta = await target.readMeta();
  if (meta === null) throw new SpladeError("NOT_FOUND", `${target.description} does not exist (create it with splade push --create)`);
  const encoder: DocumentEncoder = options.model !== undefined ? await createEncoder(options.model, options.encoder) : await encoderFromRecord(meta.model, options.encoder);
  try {
    if ((meta.bm25 !== undefined) !== (encoder.kind === "bm25")) {
      throw new SpladeError("CONFLICT", `${target.description} holds ${meta.model.kind} vectors; --model ${options.model} is a ${encoder.kind} model`);
    }
    if (encoder.vocabSize !== meta.dimension) {
      throw new SpladeError("CONFLICT", `${target.description} has dimension ${meta.dimension}; the query model's vocabulary has ${encoder.vocabSize}`);
    }
    target.useVocabulary(encoder.tokenLookup);
    const vectors = await encoder.encodeQueries(queries.map((q) => q.text));
    const k = options.k ?? INDEX_DEFAULTS.k;
    const results: QueryResult[] = [];
    for (let i = 0; i < queries.length; i++) {
      const started = performance.now();
      const hits = await target.search(engineQueryVector(meta, vectors[i]), k, meta);
      options.onQuery?.({ done: i + 1, total: queries.length, latencyMs: performance.now() - started });
      results.push({ queryId: queries[i].id, hits });
    }
    return results;
  } finally {
    await encoder.release();
  }
}
