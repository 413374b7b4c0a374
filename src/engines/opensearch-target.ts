/**
 * An OpenSearch index as an EngineTarget, through the official client (@opensearch-project/opensearch).
 * Mapping (created by `create`, strict so that stray fields are refused):
 *   vector  rank_features            the SPLADE/BM25 weights under escaped vocabulary keys (feature-keys.ts)
 *   ordinal long                     position in the pushed source: the tie-break of search
 *   payload object, enabled: false   stored {title, text}, not indexed
 *   _meta.splade_ts                  target-meta.ts
 * Writes are `_bulk` index actions with `_id` = document id (idempotent). Search sends the query as
 * neural_sparse where the neural-search plugin is installed, else as a bool of rank_feature clauses
 * (opensearch-query.ts), sorted by score then ordinal; by default the candidates are then rescored exactly
 * from `_source` (exact-rescore.ts), since rank_features keeps only 8 mantissa bits of each weight.
 * Before anything else the node is probed with GET / (plain fetch): connection failures are retried, and
 * an authentication failure or a server that is not OpenSearch gets its own message instead of the
 * client's generic one.
 */
import { Client } from "@opensearch-project/opensearch";
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { redactUrl, TransientEngineError, type BatchOutcome, type EngineDocument, type EngineHit, type EngineTarget, type ItemFailure } from "./engine.js";
import { FeatureKeys, type TokenVocabulary } from "./feature-keys.js";
import { DEFAULT_VECTOR_FIELD, fromRankFeatures, toOpenSearchQuery, toRankFeatures, type OpenSearchQueryMode } from "./opensearch-query.js";
import { firstWindow, RESCORE_DEFAULTS, rescoreExactly, type Candidate } from "./exact-rescore.js";
import { isIndexableFeatureWeight } from "./opensearch-weights.js";
import { isTransientStatus, openSearchError } from "./opensearch-errors.js";
import { parseTargetMeta, type TargetMeta } from "./target-meta.js";
import { withRetries, type RetryOptions } from "./retry.js";

export const META_KEY = "splade_ts";

const EMPTY: SparseVector = { indices: new Uint32Array(0), values: new Float32Array(0) };

export interface OpenSearchTargetOptions {
  readonly url: string;
  /** Index name (OpenSearch rules: lowercase, no \ / * ? " < > | space , #, not starting with _ - +). */
  readonly index: string;
  /** Query form: "auto" (default) uses neural_sparse when the neural-search plugin is installed. */
  readonly queryMode?: "auto" | OpenSearchQueryMode;
  /**
   * "exact" (default): rescore a provably sufficient window of the engine's candidates from their stored
   * weights (exact-rescore.ts), so results and scores equal the local index's; "none": the engine's own
   * ranking and scores over its truncated weights.
   */
  readonly rescore?: "exact" | "none";
  readonly requestTimeoutMs?: number;
  readonly retry?: RetryOptions;
}

export function checkIndexName(index: string): void {
  if (index === "" || index !== index.toLowerCase() || /[\\/*?"<>| ,#:]/.test(index) || /^[_\-+]/.test(index) || index === "." || index === ".." || Buffer.byteLength(index) > 255) {
    throw new SpladeError("INVALID_ARGUMENT", `"${index}" is not a valid OpenSearch index name (lowercase, no \\ / * ? " < > | , # : or spaces, not starting with _ - +)`);
  }
}

async function probe(url: string, where: string, retry: RetryOptions | undefined): Promise<void> {
  const u = new URL(url);
  const headers: Record<string, string> = {};
  if (u.username !== "") headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
  u.username = "";
  u.password = "";
  const response = await withRetries(`connecting to ${where}`, async () => {
    try {
      const r = await fetch(u, { headers, signal: AbortSignal.timeout(30_000) });
      if (isTransientStatus(r.status)) throw new TransientEngineError(`HTTP ${r.status}`);
      return r;
    } catch (error) {
      if (error instanceof TransientEngineError) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new TransientEngineError(`cannot reach it (${cause?.code ?? cause?.message ?? (error as Error).message})`, { cause: error });
    }
  }, retry);
  if (response.status === 401 || response.status === 403) {
    throw new SpladeError("NETWORK", `authentication failed (HTTP ${response.status}) at ${where}: check the user and password in --url`);
  }
  const text = await response.text();
  let body: { version?: { distribution?: string; number?: string } } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok || body?.version?.distribution !== "opensearch") {
    throw new SpladeError("NETWORK", `${where} is not an OpenSearch node (GET / answered HTTP ${response.status}${body?.version?.number ? `, version ${body.version.number}` : ""}); check --url`);
  }
}

export class OpenSearchTarget implements EngineTarget {
  readonly engine = "opensearch" as const;
  readonly description: string;
  readonly location: string;
  private keys: FeatureKeys | null = null;
  private queryMode: OpenSearchQueryMode | null = null;

  private constructor(
    private readonly client: Client,
    readonly name: string,
    private readonly options: OpenSearchTargetOptions,
  ) {
    this.location = redactUrl(options.url);
    this.description = `OpenSearch index "${name}" at ${this.location}`;
  }

  static async open(options: OpenSearchTargetOptions): Promise<OpenSearchTarget> {
    checkIndexName(options.index);
    try {
      new URL(options.url);
    } catch {
      throw new SpladeError("INVALID_ARGUMENT", `--url "${options.url}" is not a URL (e.g. http://127.0.0.1:9200)`);
    }
    await probe(options.url, redactUrl(options.url), options.retry);
    const client = new Client({ node: options.url, maxRetries: 0, requestTimeout: options.requestTimeoutMs ?? 120_000 });
    return new OpenSearchTarget(client, options.index, options);
  }

  /** The vocabulary whose strings are the feature keys (needed before writing or searching). */
  useVocabulary(vocabulary: TokenVocabulary): void {
    this.keys = new FeatureKeys(vocabulary);
  }

  private featureKeys(): FeatureKeys {
    if (this.keys === null) throw new SpladeError("INVALID_ARGUMENT", "OpenSearch target: call useVocabulary() before writing or searching");
    return this.keys;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return withRetries(`${what} (${this.description})`, async () => {
      try {
        return await run();
      } catch (error) {
        throw openSearchError(error, what, this.description);
      }
    }, this.options.retry);
  }

  async readMeta(): Promise<TargetMeta | null> {
    let mappings: { _meta?: Record<string, unknown>; properties?: Record<string, { type?: string }> };
    try {
      const response = await this.call("reading the mapping", () => this.client.indices.getMapping({ index: this.name }));
      const body = response.body as Record<string, { mappings: typeof mappings }>;
      mappings = Object.values(body)[0]?.mappings ?? {};
    } catch (error) {
      if (error instanceof SpladeError && error.code === "NOT_FOUND") return null;
      throw error;
    }
    const type = mappings.properties?.[DEFAULT_VECTOR_FIELD]?.type;
    if (type !== "rank_features") {
      throw new SpladeError("CONFLICT", `mapping conflict: ${this.description} has ${type === undefined ? "no" : `a ${type}`} field "${DEFAULT_VECTOR_FIELD}" (splade-ts writes rank_features); push into another index`);
    }
    return parseTargetMeta(mappings._meta?.[META_KEY], this.description);
  }

  async create(meta: TargetMeta): Promise<void> {
    const body = {
      mappings: {
        dynamic: "strict",
        _meta: { [META_KEY]: meta },
        properties: {
          [DEFAULT_VECTOR_FIELD]: { type: "rank_features" },
          ordinal: { type: "long" },
          payload: { type: "object", enabled: false },
        },
      },
    };
    await this.call("creating the index", () => this.client.indices.create({ index: this.name, body } as never));
  }

  async writeBatch(documents: readonly EngineDocument[]): Promise<BatchOutcome> {
    const keys = this.featureKeys();
    const failed: ItemFailure[] = [];
    const sent: EngineDocument[] = [];
    const body: unknown[] = [];
    for (const doc of documents) {
      const bad = doc.vector.values.findIndex((w) => !isIndexableFeatureWeight(w));
      if (bad >= 0) {
        failed.push({ id: doc.id, reason: `weight ${doc.vector.values[bad]} of term ${doc.vector.indices[bad]} is not a positive normal float (rank_features refuses it)`, transient: false });
        continue;
      }
      sent.push(doc);
      body.push({ index: { _index: this.name, _id: doc.id } });
      body.push({ [DEFAULT_VECTOR_FIELD]: toRankFeatures(doc.vector, keys), ordinal: doc.ordinal, ...(doc.payload === undefined ? {} : { payload: doc.payload }) });
    }
    if (sent.length === 0) return { acknowledged: 0, failed };
    let response;
    try {
      response = await this.client.bulk({ body } as never);
    } catch (error) {
      throw openSearchError(error, "bulk request", this.description);
    }
    const items = (response.body as { items: Array<{ index: { status: number; error?: { type?: string; reason?: string } } }> }).items;
    let acknowledged = 0;
    items.forEach((item, i) => {
      const { status, error } = item.index;
      if (status >= 200 && status < 300) acknowledged++;
      else failed.push({ id: sent[i].id, reason: `HTTP ${status} ${error?.type ?? ""}: ${error?.reason ?? ""}`.trim(), transient: isTransientStatus(status) });
    });
    if (failed.some((f) => f.transient === false && /index_not_found/.test(f.reason))) {
      throw new SpladeError("NOT_FOUND", `${this.description} no longer exists (deleted during the push?)`);
    }
    return { acknowledged, failed };
  }

  async flush(): Promise<void> {
    await this.call("refreshing the index", () => this.client.indices.refresh({ index: this.name }));
  }

  async count(): Promise<number> {
    const response = await this.call("counting documents", () => this.client.count({ index: this.name }));
    return (response.body as { count: number }).count;
  }

  /** "neural_sparse" when the neural-search plugin is installed on the cluster, else "rank_feature". */
  async resolveQueryMode(): Promise<OpenSearchQueryMode> {
    if (this.queryMode !== null) return this.queryMode;
    const wanted = this.options.queryMode ?? "auto";
    if (wanted !== "auto") return (this.queryMode = wanted);
    const response = await this.call("listing plugins", () => this.client.cat.plugins({ format: "json" } as never));
    const plugins = response.body as unknown as Array<{ component?: string }>;
    return (this.queryMode = plugins.some((p) => p.component === "opensearch-neural-search") ? "neural_sparse" : "rank_feature");
  }

  async search(vector: SparseVector, k: number): Promise<EngineHit[]> {
    if (vector.indices.length === 0) return [];
    const query = toOpenSearchQuery(vector, { keys: this.featureKeys(), mode: await this.resolveQueryMode() });
    if ((this.options.rescore ?? "exact") === "none") {
      return (await this.rank(query, k, false, vector.indices.length)).map(({ id, engineScore, payload }) => (payload === undefined ? { id, score: engineScore } : { id, score: engineScore, payload }));
    }
    for (let window = firstWindow(k); ; window = Math.min(window * 2, RESCORE_DEFAULTS.maxWindow)) {
      const candidates = await this.rank(query, window, true, vector.indices.length);
      const { hits, complete } = rescoreExactly(vector, candidates, k, window);
      if (complete || window >= RESCORE_DEFAULTS.maxWindow) return hits.map(({ id, score, payload }) => (payload === undefined ? { id, score } : { id, score, payload }));
    }
  }

  /** The engine's top `size`, best first (score, then ordinal); with `vectors`, each one's stored weights. */
  private async rank(query: Record<string, unknown>, size: number, vectors: boolean, terms: number): Promise<Candidate[]> {
    const body = {
      size,
      query,
      sort: [{ _score: { order: "desc" } }, { ordinal: { order: "asc" } }],
      track_scores: true,
      track_total_hits: false,
      _source: vectors ? ["payload", "ordinal", DEFAULT_VECTOR_FIELD] : ["payload"],
    };
    let response;
    try {
      response = await this.call("searching", () => this.client.search({ index: this.name, body } as never));
    } catch (error) {
      if (error instanceof SpladeError && /max_?clause_?count|too_many_(nested_)?clauses/i.test(JSON.stringify((error.cause as { body?: unknown } | undefined)?.body ?? ""))) {
        throw new SpladeError("INVALID_ARGUMENT", `a query with ${terms} terms exceeds ${this.description}'s indices.query.bool.max_clause_count; raise that node setting`, { cause: error });
      }
      throw error;
    }
    type Source = { payload?: unknown; ordinal?: number; [field: string]: unknown };
    const hits = (response.body as { hits: { hits: Array<{ _id: string; _score: number | null; sort?: unknown[]; _source?: Source }> } }).hits.hits;
    const keys = this.featureKeys();
    return hits.map((h) => ({
      id: h._id,
      engineScore: h._score ?? Number(h.sort?.[0]),
      ordinal: Number(h._source?.ordinal ?? 0),
      vector: vectors ? fromRankFeatures((h._source?.[DEFAULT_VECTOR_FIELD] ?? {}) as Record<string, unknown>, keys) : EMPTY,
      ...(h._source?.payload === undefined ? {} : { payload: h._source.payload }),
    }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
