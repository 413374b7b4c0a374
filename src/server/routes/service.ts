/** The service's own endpoints: /health, /metrics, /indexes, /indexes/{name} and /openapi.json. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { countDeleted } from "../../index/deletes-file.js";
import type { ServerContext, ServerEnv } from "../context.js";
import { servedIndex } from "../context.js";
import { addRoute } from "../route.js";
import type { ServedIndex } from "../served-index.js";

function indexInfo(served: ServedIndex) {
  const snapshot = served.snapshot;
  return {
    name: served.name,
    documents: snapshot.docCount,
    deleted: snapshot.segments.reduce((n, s) => n + (s.deleted ? countDeleted(s.deleted) : 0), 0),
    segments: snapshot.segments.length,
    generation: snapshot.generation ?? 0,
    model: { kind: served.record.kind, name: served.modelName },
    writable: served.writable,
  };
}

export function serviceRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext, version: string): void {
  const S = ctx.schemas;
  addRoute(app, ctx, {
    method: "get",
    path: "/health",
    access: "open",
    summary: "Liveness and what is served",
    responses: { 200: { description: "Serving", content: { "application/json": { schema: S.Health } } } },
    handler: (c) =>
      c.json({
        status: ctx.state.closing ? ("shutting-down" as const) : ("ok" as const),
        indexes: ctx.indexes.map((i) => ({ name: i.name, documents: i.snapshot.docCount, generation: i.snapshot.generation ?? 0 })),
      }),
  });
  addRoute(app, ctx, {
    method: "get",
    path: "/metrics",
    access: "read",
    summary: "Prometheus metrics (text format)",
    responses: { 200: { description: "Request counts and latencies per route, documents per index, encode and search time", content: { "text/plain": { schema: { type: "string" } } } } },
    handler: async (c) => c.body(await ctx.metrics.registry.metrics(), 200, { "Content-Type": ctx.metrics.registry.contentType }),
  });
  addRoute(app, ctx, {
    method: "get",
    path: "/indexes",
    access: "read",
    summary: "The served indexes",
    responses: { 200: { description: "Indexes in serving order", content: { "application/json": { schema: S.IndexList } } } },
    handler: (c) => c.json({ indexes: ctx.indexes.map(indexInfo) }),
  });
  addRoute(app, ctx, {
    method: "get",
    path: "/indexes/{name}",
    access: "read",
    summary: "One served index",
    request: { params: S.IndexParams },
    responses: { 200: { description: "The index", content: { "application/json": { schema: S.IndexInfo } } } },
    handler: (c) => c.json(indexInfo(servedIndex(ctx, c.req.param("name")!, "name"))),
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "the key named by `splade serve --api-key-env`" });
  const document = () =>
    app.getOpenAPIDocument({
      openapi: "3.0.3",
      info: { title: "splade-ts search service", version, description: "Exact SPLADE and BM25 search with live writes. Errors are `{error: {code, message}}`." },
    });
  let cached: ReturnType<typeof document> | null = null;
  addRoute(app, ctx, {
    method: "get",
    path: "/openapi.json",
    access: "open",
    summary: "This document, generated from the schemas the server validates with",
    responses: { 200: { description: "OpenAPI 3.0", content: { "application/json": { schema: { type: "object" } } } } },
    handler: (c) => c.json((cached ??= document())),
  });
}
