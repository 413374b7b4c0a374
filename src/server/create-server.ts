/**
 * createServer: the library entry of the HTTP service (`splade serve` is a thin CLI over it).
 *
 *   const server = await createServer({ indexes: ["./scifact-bm25"], apiKey: process.env.KEY });
 *   const { url } = await server.listen({ port: 8080 });   // or mount server.app / server.fetch yourself
 *   …
 *   await server.close();                                  // graceful: see close()
 *
 * Every index is opened with its checksums verified and served under its folder name; the model its
 * manifest records encodes its queries and documents (indexes that record the same model share one model
 * and one encoder lane). Writable indexes hold their writer lock until close().
 */
import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { SpladeError } from "../util/errors.js";
import type { SearchAlgorithm } from "../index/search.js";
import { encoderFromRecord, type EncoderOptions } from "../app/encoders.js";
import type { ModelRecord } from "../app/document-encoder.js";
import { SERVER_DEFAULTS, type ServerLimits } from "./defaults.js";
import { apiSchemas } from "./schemas.js";
import { ServerMetrics } from "./metrics.js";
import { authorizer } from "./auth.js";
import { EncoderLane } from "./encoder-lane.js";
import { ServedIndex, type IndexSpec } from "./served-index.js";
import { buildApp } from "./app.js";
import type { ServerContext, ServerEnv, ServerEvent } from "./context.js";

export interface CreateServerOptions {
  /** Index folders (served under their folder names) or {name, dir}. */
  readonly indexes: ReadonlyArray<string | IndexSpec>;
  /** With a key, writes need `Authorization: Bearer <key>`; reads too with `protectReads`. */
  readonly apiKey?: string | null;
  readonly protectReads?: boolean;
  /** Serve without taking the writer locks; writes answer 403. */
  readonly readOnly?: boolean;
  /** onnxruntime threads per SPLADE model (default: all cores). */
  readonly threads?: number;
  /** How SPLADE models are loaded (Hub options, quantization). */
  readonly encoder?: EncoderOptions;
  readonly limits?: Partial<ServerLimits>;
  /** Exact search algorithm: "bmp" (default) or "exhaustive"; the same hits either way (index/search.ts). */
  readonly algorithm?: SearchAlgorithm;
  /** RRF: hits taken from each index before fusion (default 100, at least k). */
  readonly fusionDepth?: number;
  /** Graceful shutdown bound (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /** Group commit size and merge policy (defaults.ts). */
  readonly maxCommitDocuments?: number;
  readonly mergeFactor?: number;
  /** Texts per encoding run when concurrent requests are batched. */
  readonly maxEncodeBatch?: number;
  /** Errors the server could not attribute to the client, and commits. The server itself never prints. */
  readonly log?: (event: ServerEvent) => void;
}

export interface ListenOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
}

export interface SpladeServer {
  /** The Hono application: mount it in an existing app, or serve `fetch` with any adapter. */
  readonly app: OpenAPIHono<ServerEnv>;
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly indexes: ReadonlyArray<{ readonly name: string; readonly dir: string; readonly writable: boolean }>;
  /** Listens on host:port (Node's http server); resolves once listening. */
  listen(options?: ListenOptions): Promise<{ url: string; host: string; port: number }>;
  /**
   * Graceful shutdown: stops accepting connections, answers new requests on open connections with 503, lets
   * requests in flight finish for up to `timeoutMs`, then rolls back a write still in progress (before its
   * commit point; acknowledged writes are never undone), closes the connections, releases the index locks and
   * the models. Idempotent.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

const VERSION = "0.1.0";

async function until(condition: () => boolean, deadline: number): Promise<void> {
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

export async function createServer(options: CreateServerOptions): Promise<SpladeServer> {
  if (options.indexes.length === 0) throw new SpladeError("INVALID_ARGUMENT", "createServer: give at least one index");
  const limits: ServerLimits = {
    maxBodyBytes: options.limits?.maxBodyBytes ?? SERVER_DEFAULTS.maxBodyBytes,
    maxK: options.limits?.maxK ?? SERVER_DEFAULTS.maxK,
    maxQueries: options.limits?.maxQueries ?? SERVER_DEFAULTS.maxQueries,
    maxTexts: options.limits?.maxTexts ?? SERVER_DEFAULTS.maxTexts,
    maxDocuments: options.limits?.maxDocuments ?? SERVER_DEFAULTS.maxDocuments,
    maxVectorTerms: options.limits?.maxVectorTerms ?? SERVER_DEFAULTS.maxVectorTerms,
    maxIdLength: options.limits?.maxIdLength ?? SERVER_DEFAULTS.maxIdLength,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isInteger(value) && value > 0)) throw new SpladeError("INVALID_ARGUMENT", `createServer: limits.${name} must be a positive integer, got ${value}`);
  }
  const log = options.log ?? (() => undefined);
  const served: ServedIndex[] = [];
  const metrics = new ServerMetrics(() => served);
  const lanes = new Map<string, EncoderLane>();
  const laneFor = async (record: ModelRecord): Promise<EncoderLane> => {
    const key = JSON.stringify(record);
    let lane = lanes.get(key);
    if (lane === undefined) {
      const splade = { ...options.encoder?.splade, ...(options.threads !== undefined ? { threads: options.threads } : {}) };
      const encoder = await encoderFromRecord(record, { ...options.encoder, splade });
      const model = record.kind === "bm25" ? "bm25" : record.model;
      lane = new EncoderLane(encoder, options.maxEncodeBatch ?? SERVER_DEFAULTS.maxEncodeBatch, (task, texts, seconds) => {
        metrics.encodeSeconds.observe({ model, task }, seconds);
        metrics.encodedTexts.inc({ model, task }, texts);
      });
      lanes.set(key, lane);
    }
    return lane;
  };
  const releaseAll = async () => {
    await Promise.all(served.map((index) => index.releaseLock()));
    await Promise.all([...lanes.values()].map((lane) => lane.encoder.release()));
  };
  try {
    for (const spec of options.indexes) {
      const resolved = typeof spec === "string" ? { dir: spec } : spec;
      const index = await ServedIndex.open(resolved, {
        writable: !options.readOnly,
        laneFor,
        commits: {
          maxCommitDocuments: options.maxCommitDocuments ?? SERVER_DEFAULTS.maxCommitDocuments,
          mergeFactor: options.mergeFactor ?? SERVER_DEFAULTS.mergeFactor,
          onCommit: (operation, documents, seconds) => {
            metrics.commitSeconds.observe({ index: resolved.name ?? index.name, kind: operation }, seconds);
            metrics.committedDocuments.inc({ index: resolved.name ?? index.name, kind: operation }, documents);
            log({ kind: "commit", index: resolved.name ?? index.name, operation, documents, seconds });
          },
        },
      });
      if (served.some((s) => s.name === index.name)) {
        await index.releaseLock();
        throw new SpladeError("INVALID_ARGUMENT", `two indexes are named ${JSON.stringify(index.name)} (${index.dir}); serve one of them under another name`);
      }
      served.push(index);
    }
  } catch (error) {
    await releaseAll();
    throw error;
  }

  const ctx: ServerContext = {
    indexes: served,
    limits,
    schemas: apiSchemas(limits),
    metrics,
    fusionDepth: options.fusionDepth ?? SERVER_DEFAULTS.fusionDepth,
    algorithm: options.algorithm,
    authorize: authorizer({ apiKey: options.apiKey ?? null, protectReads: options.protectReads ?? false }),
    secured: (options.apiKey ?? null) !== null,
    protectReads: options.protectReads ?? false,
    state: { closing: false, refusing: false, inFlight: 0 },
    log,
  };
  const app = buildApp(ctx, VERSION);
  let http: Server | null = null;
  let httpInFlight = 0;
  const idle = () => ctx.state.inFlight === 0 && httpInFlight === 0;
  let closing: Promise<void> | null = null;

  return {
    app,
    fetch: app.fetch,
    indexes: served.map((s) => ({ name: s.name, dir: s.dir, writable: s.writable })),
    async listen(listen: ListenOptions = {}) {
      if (http !== null) throw new SpladeError("INVALID_ARGUMENT", "the server is already listening");
      if (ctx.state.closing) throw new SpladeError("INVALID_ARGUMENT", "the server is closed");
      const host = listen.host ?? SERVER_DEFAULTS.host;
      const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
      // Requests until their response has left (the app's own count ends when the Response is built).
      server.on("request", (_req, res) => {
        httpInFlight++;
        res.once("close", () => httpInFlight--);
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
          reject(new SpladeError("INVALID_ARGUMENT", `cannot listen on ${host}:${listen.port ?? SERVER_DEFAULTS.port}: ${error.code === "EADDRINUSE" ? "address already in use" : error.message}`, { cause: error })),
        );
        server.listen(listen.port ?? SERVER_DEFAULTS.port, host, () => resolve());
      });
      http = server;
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(":") ? `[${host}]` : host;
      return { url: `http://${shown}:${port}`, host, port };
    },
    close(close: { timeoutMs?: number } = {}) {
      closing ??= (async () => {
        // 1. Drain: no new connections; requests on open ones are still answered, with Connection: close.
        ctx.state.closing = true;
        const server = http;
        const closed = server === null ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
        await until(idle, Date.now() + (close.timeoutMs ?? options.shutdownTimeoutMs ?? SERVER_DEFAULTS.shutdownTimeoutMs));
        // 2. Refuse new requests; roll back a write still running (before its commit point) and answer it.
        ctx.state.refusing = true;
        for (const index of served) index.abortWrites();
        await Promise.all(served.map((index) => index.writesIdle()));
        await until(idle, Date.now() + 1000);
        // 3. Close what is left, then release the models and the index locks.
        server?.closeAllConnections();
        await closed;
        await Promise.all([...lanes.values()].map((lane) => lane.stop()));
        await releaseAll();
      })();
      return closing;
    },
  };
}
