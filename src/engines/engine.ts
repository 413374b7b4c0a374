/**
 * EngineTarget: one index (OpenSearch) or table (PostgreSQL) that splade-ts writes vectors into and searches.
 * The push loop (push.ts) and engine search (engine-search.ts) see only this interface; each engine file
 * (opensearch-target.ts, postgres-target.ts) maps it onto the official client.
 * Idempotence: documents are keyed by their id (OpenSearch `_id`, PostgreSQL primary key), and a write
 * replaces what the id held, so sending a batch twice leaves the target as sending it once.
 * Errors: transient conditions (connection refused or reset, HTTP 429 / 5xx, PostgreSQL connection and
 * resource errors) throw TransientEngineError, which the caller retries with backoff (retry.ts); anything
 * else throws a SpladeError whose code the CLI maps to an exit code (NETWORK 5, CONFLICT 3, …).
 */
import type { SparseVector } from "../sparse/vector.js";
import type { TargetMeta } from "./target-meta.js";
import type { TokenVocabulary } from "./feature-keys.js";

export type EngineName = "opensearch" | "postgres";

export interface EngineDocument {
  readonly id: string;
  /** Position in the pushed source: the tie-break of engine search, as insertion order is locally. */
  readonly ordinal: number;
  readonly vector: SparseVector;
  readonly payload?: unknown;
}

export interface ItemFailure {
  readonly id: string;
  readonly reason: string;
  /** Worth sending again (the engine was busy), rather than refused. */
  readonly transient: boolean;
}

export interface BatchOutcome {
  readonly acknowledged: number;
  readonly failed: readonly ItemFailure[];
}

export interface EngineHit {
  readonly id: string;
  readonly score: number;
  readonly payload?: unknown;
}

export interface EngineTarget {
  readonly engine: EngineName;
  /** Index or table name. */
  readonly name: string;
  /** For messages: "OpenSearch index \"x\" at http://…" (no credentials). */
  readonly description: string;
  /** Where the engine is: the URL without credentials, or "embedded" for a client given directly. */
  readonly location: string;
  /** The vocabulary of the vectors (OpenSearch keys features by token; PostgreSQL ignores it). */
  useVocabulary(vocabulary: TokenVocabulary): void;
  /** The splade-ts metadata, or null when the target does not exist. */
  readMeta(): Promise<TargetMeta | null>;
  /** Creates the target with its metadata, atomically (one request or one transaction). */
  create(meta: TargetMeta): Promise<void>;
  writeBatch(documents: readonly EngineDocument[]): Promise<BatchOutcome>;
  /** Makes everything acknowledged visible to search (OpenSearch refresh). */
  flush(): Promise<void>;
  count(): Promise<number>;
  /** Exact top-k by Σ query weight × stored weight (the engine's own scoring), ties by ordinal. */
  search(vector: SparseVector, k: number, meta: TargetMeta): Promise<EngineHit[]>;
  close(): Promise<void>;
}

/** A condition worth retrying (see the header); `message` says what happened. */
export class TransientEngineError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TransientEngineError";
  }
}

/** The URL without user and password, for messages and checkpoints. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "<invalid URL>";
  }
}
