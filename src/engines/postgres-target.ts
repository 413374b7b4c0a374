/**
 * A PostgreSQL table with pgvector as an EngineTarget, through `pg` (a URL) or any client with pg's
 * `query(text, params) → {rows}` (a PGlite instance with the vector extension, for embedding). Schema made
 * by `create`, in one transaction:
 *   <table> (id text PRIMARY KEY, ordinal bigint NOT NULL, vector sparsevec(<dim>) NOT NULL, payload jsonb)
 *   splade_ts_targets (name text PRIMARY KEY, meta jsonb)   one row per target: target-meta.ts
 * and a table comment that points at it. A batch is one INSERT … SELECT FROM jsonb_array_elements($1) ON
 * CONFLICT (id) DO UPDATE: atomic, and idempotent by primary key. Search is `ORDER BY vector <#> $1, ordinal
 * LIMIT k` (pgvector's negative inner product, summed in float32; ordinal breaks ties as insertion order
 * does locally), keeping rows with a positive inner product: exact, by a sequential scan (an HNSW index
 * would make it approximate, and takes at most 1,000 non-zeros per sparsevec).
 */
import pg from "pg";
import { SpladeError } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import { redactUrl, type BatchOutcome, type EngineDocument, type EngineHit, type EngineTarget } from "./engine.js";
import { toSparsevecLiteral } from "./sparsevec.js";
import { isConnectionLost, postgresError } from "./postgres-errors.js";
import { parseTargetMeta, type TargetMeta } from "./target-meta.js";
import { withRetries, type RetryOptions } from "./retry.js";

export const META_TABLE = "splade_ts_targets";

/** What the target needs of a connection: pg.Client, pg.Pool and PGlite all have it. */
export interface SqlQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

export interface PostgresTargetOptions {
  /** postgres://user:password@host:port/database (one of url or client). */
  readonly url?: string;
  /** An open connection (e.g. a PGlite instance with pgvector); not closed by close(). */
  readonly client?: SqlQueryable;
  readonly table: string;
  readonly retry?: RetryOptions;
  readonly connectTimeoutMs?: number;
}

export function checkTableName(table: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new SpladeError("INVALID_ARGUMENT", `"${table}" is not a table name splade-ts accepts (letters, digits, _; at most 63; not starting with a digit)`);
  }
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

export class PostgresTarget implements EngineTarget {
  readonly engine = "postgres" as const;
  readonly name: string;
  readonly description: string;
  readonly location: string;
  private connection: SqlQueryable | null;
  private owned: pg.Client | null = null;

  private constructor(private readonly options: PostgresTargetOptions) {
    this.name = options.table;
    this.connection = options.client ?? null;
    this.location = options.url !== undefined ? redactUrl(options.url) : "embedded";
    this.description = `PostgreSQL table "${options.table}"${options.url !== undefined ? ` at ${this.location}` : " (embedded client)"}`;
  }

  static async open(options: PostgresTargetOptions): Promise<PostgresTarget> {
    checkTableName(options.table);
    if ((options.url === undefined) === (options.client === undefined)) throw new SpladeError("INVALID_ARGUMENT", "give a PostgreSQL url or a client, not both");
    if (options.url !== undefined) {
      let parsed: URL;
      try {
        parsed = new URL(options.url);
      } catch {
        throw new SpladeError("INVALID_ARGUMENT", `--url "${options.url}" is not a URL (e.g. postgres://user:password@127.0.0.1:5432/db)`);
      }
      if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") throw new SpladeError("INVALID_ARGUMENT", `--url must be postgres://…, got ${parsed.protocol}`);
    }
    const target = new PostgresTarget(options);
    await target.run("connecting", async () => undefined);
    return target;
  }

  private async connect(): Promise<SqlQueryable> {
    if (this.connection !== null) return this.connection;
    const client = new pg.Client({ connectionString: this.options.url, connectionTimeoutMillis: this.options.connectTimeoutMs ?? 15_000 });
    client.on("error", () => {
      // A dropped connection surfaces on the next query; this listener keeps it from crashing the process.
      this.connection = null;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.owned = client;
    return (this.connection = client);
  }

  /** Runs `fn` on a live connection, retrying transient failures (reconnecting after a lost connection). */
  private async run<T>(what: string, fn: (db: SqlQueryable) => Promise<T>): Promise<T> {
    return withRetries(`${what} (${this.description})`, async () => {
      try {
        return await fn(await this.connect());
      } catch (error) {
        if (isConnectionLost(error) && this.owned !== null) {
          const dead = this.owned;
          this.owned = null;
          this.connection = null;
          await dead.end().catch(() => undefined);
        }
        throw postgresError(error, what, this.description);
      }
    }, this.options.retry);
  }

  private async transaction(db: SqlQueryable, statements: Array<[string, unknown[]?]>): Promise<void> {
    await db.query("BEGIN");
    try {
      for (const [sql, params] of statements) await db.query(sql, params);
      await db.query("COMMIT");
    } catch (error) {
      await db.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async readMeta(): Promise<TargetMeta | null> {
    return this.run("reading the target", async (db) => {
      const { rows } = await db.query(
        `SELECT to_regclass($1) IS NOT NULL AS has_table, to_regclass('${META_TABLE}') IS NOT NULL AS has_meta,
                (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'vector' AND NOT attisdropped) AS vector_type`,
        [quote(this.name)],
      );
      const { has_table: hasTable, has_meta: hasMeta, vector_type: vectorType } = rows[0] as { has_table: boolean; has_meta: boolean; vector_type: string | null };
      const meta = hasMeta ? (await db.query(`SELECT meta FROM ${META_TABLE} WHERE name = $1`, [this.name])).rows[0]?.meta : undefined;
      if (!hasTable) {
        if (meta !== undefined) throw new SpladeError("CONFLICT", `${this.description} is gone but ${META_TABLE} still describes it; delete that row or choose another table`);
        return null;
      }
      if (typeof vectorType !== "string" || !vectorType.startsWith("sparsevec")) {
        throw new SpladeError("CONFLICT", `mapping conflict: ${this.description} has ${vectorType === null ? "no" : `a ${vectorType}`} column "vector" (splade-ts writes sparsevec); push into another table`);
      }
      const parsed = parseTargetMeta(typeof meta === "string" ? JSON.parse(meta) : meta, this.description);
      if (vectorType !== `sparsevec(${parsed.dimension})`) throw new SpladeError("CONFLICT", `mapping conflict: ${this.description} has a ${vectorType} column; its metadata says ${parsed.dimension} dimensions`);
      return parsed;
    });
  }

  async create(meta: TargetMeta): Promise<void> {
    const table = quote(this.name);
    await this.run("creating the table", async (db) => {
      const { rows } = await db.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'");
      if ((rows[0] as { n: number }).n === 0) {
        try {
          await db.query("CREATE EXTENSION IF NOT EXISTS vector");
        } catch (error) {
          throw new SpladeError("UNSUPPORTED", `${this.description}: pgvector is not installed and cannot be created here (${(error as Error).message})`, { cause: error });
        }
      }
      await this.transaction(db, [
        [`CREATE TABLE IF NOT EXISTS ${META_TABLE} (name text PRIMARY KEY, meta jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`],
        [`CREATE TABLE ${table} (id text PRIMARY KEY, ordinal bigint NOT NULL, vector sparsevec(${meta.dimension}) NOT NULL, payload jsonb)`],
        [`INSERT INTO ${META_TABLE} (name, meta) VALUES ($1, $2)`, [this.name, JSON.stringify(meta)]],
        [`COMMENT ON TABLE ${table} IS ${pg.escapeLiteral(`splade-ts target: ${JSON.stringify(meta.model)}; metadata in ${META_TABLE}`)}`],
      ]);
    });
  }

  async writeBatch(documents: readonly EngineDocument[]): Promise<BatchOutcome> {
    if (documents.length === 0) return { acknowledged: 0, failed: [] };
    const dimension = (await this.dimension());
    // One jsonb parameter rather than arrays of sparsevec: array parameters are serialized differently by pg
    // and PGlite (PGlite does not quote elements that contain commas and braces).
    const rows = JSON.stringify(documents.map((d) => ({ id: d.id, ordinal: d.ordinal, vector: toSparsevecLiteral(d.vector, dimension), payload: d.payload ?? null })));
    await this.run("writing a batch", (db) =>
      db.query(
        `INSERT INTO ${quote(this.name)} (id, ordinal, vector, payload)
         SELECT d->>'id', (d->>'ordinal')::bigint, (d->>'vector')::sparsevec, NULLIF(d->'payload', 'null'::jsonb)
         FROM jsonb_array_elements($1::jsonb) AS d
         ON CONFLICT (id) DO UPDATE SET ordinal = EXCLUDED.ordinal, vector = EXCLUDED.vector, payload = EXCLUDED.payload`,
        [rows],
      ),
    );
    return { acknowledged: documents.length, failed: [] };
  }

  private dimensionCache: number | null = null;
  private async dimension(): Promise<number> {
    if (this.dimensionCache !== null) return this.dimensionCache;
    const meta = await this.readMeta();
    if (meta === null) throw new SpladeError("NOT_FOUND", `${this.description} does not exist`);
    return (this.dimensionCache = meta.dimension);
  }

  useVocabulary(): void {
    // sparsevec is keyed by term id: nothing to map.
  }

  async flush(): Promise<void> {}

  async count(): Promise<number> {
    return this.run("counting rows", async (db) => Number((await db.query(`SELECT count(*) AS n FROM ${quote(this.name)}`)).rows[0].n));
  }

  async search(vector: SparseVector, k: number, meta: TargetMeta): Promise<EngineHit[]> {
    if (vector.indices.length === 0) return [];
    const literal = toSparsevecLiteral(vector, meta.dimension);
    // `ORDER BY vector <#> $1` as pgvector documents it; the distance in the select list is the same expression,
    // computed once per row. Rows with no shared term (distance 0) sort after every match and are dropped here.
    const { rows } = await this.run("searching", (db) =>
      db.query(`SELECT id, payload, vector <#> $1::sparsevec AS distance FROM ${quote(this.name)} ORDER BY distance, ordinal LIMIT $2`, [literal, k]),
    );
    return rows.filter((r) => Number(r.distance) < 0).map((r) => {
      const score = -Number(r.distance);
      return r.payload === null || r.payload === undefined ? { id: String(r.id), score } : { id: String(r.id), score, payload: r.payload };
    });
  }

  async close(): Promise<void> {
    const owned = this.owned;
    this.owned = null;
    this.connection = this.options.client ?? null;
    if (owned !== null) await owned.end().catch(() => undefined);
  }
}
