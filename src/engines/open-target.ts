/**
 * Opening an engine target from what the CLI (or a library user) gives: an engine name and a URL, or an
 * already open PostgreSQL-compatible client (a PGlite instance with pgvector, for embedding).
 */
import { SpladeError } from "../util/errors.js";
import type { EngineName, EngineTarget } from "./engine.js";
import { OpenSearchTarget } from "./opensearch-target.js";
import type { OpenSearchQueryMode } from "./opensearch-query.js";
import { PostgresTarget, type SqlQueryable } from "./postgres-target.js";
import type { RetryOptions } from "./retry.js";

export interface EngineTargetOptions {
  readonly engine: EngineName;
  /** http(s)://[user:password@]host:port for OpenSearch; postgres://user:password@host:port/db for PostgreSQL. */
  readonly url?: string;
  /** PostgreSQL only: an open client instead of a URL (PGlite, pg.Client, pg.Pool). */
  readonly client?: SqlQueryable;
  /** Index (OpenSearch) or table (PostgreSQL). */
  readonly target: string;
  readonly retry?: RetryOptions;
  /** OpenSearch: "auto" (neural_sparse when the neural-search plugin is installed), or force one form. */
  readonly queryMode?: "auto" | OpenSearchQueryMode;
  /** OpenSearch: "exact" (default) rescores candidates from their stored weights; "none" keeps the engine's scores. */
  readonly rescore?: "exact" | "none";
}

export async function openEngineTarget(options: EngineTargetOptions): Promise<EngineTarget> {
  if (options.engine === "opensearch") {
    if (options.url === undefined) throw new SpladeError("INVALID_ARGUMENT", "OpenSearch needs a --url (e.g. http://127.0.0.1:9200)");
    return OpenSearchTarget.open({ url: options.url, index: options.target, retry: options.retry, queryMode: options.queryMode, rescore: options.rescore });
  }
  if (options.engine === "postgres") {
    return PostgresTarget.open({ url: options.url, client: options.client, table: options.target, retry: options.retry });
  }
  throw new SpladeError("INVALID_ARGUMENT", `unknown engine "${String(options.engine)}" (opensearch or postgres)`);
}
