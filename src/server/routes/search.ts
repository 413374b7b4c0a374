/** POST /search: one query (text or vector) or several, over one index or several fused with RRF; explain. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServerContext, ServerEnv } from "../context.js";
import { servedIndex } from "../context.js";
import { addRoute } from "../route.js";
import { jsonBody } from "../body.js";
import { searchServed, type SearchQuery } from "../search.js";
import type { SparseVectorBody } from "../schemas.js";

const typed = (v: SparseVectorBody) => ({ indices: Uint32Array.from(v.indices), values: Float32Array.from(v.values) });

export function searchRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  const S = ctx.schemas;
  addRoute(app, ctx, {
    method: "post",
    path: "/search",
    access: "read",
    summary: "Exact top-k search over one or more indexes",
    description:
      "Query texts are encoded with each index's own model; several indexes are fused with reciprocal-rank fusion. " +
      "With `explain`, each hit lists per index its term contributions (queryWeight · documentWeight), which sum to its score there.",
    request: { body: { required: true, content: { "application/json": { schema: S.SearchRequest } } } },
    responses: { 200: { description: "Hits, best first", content: { "application/json": { schema: S.SearchResponse } } } },
    handler: async (c) => {
      const started = performance.now();
      const body = await jsonBody(c, S.SearchRequest, ctx.limits.maxBodyBytes);
      const targets = body.indexes === undefined ? ctx.indexes : body.indexes.map((name, i) => servedIndex(ctx, name, `indexes[${i}]`));
      const inputs = body.queries ?? [{ query: body.query, vector: body.vector }];
      const queries: SearchQuery[] = inputs.map((q) => ({ text: q.query ?? null, vector: q.vector === undefined ? null : typed(q.vector) }));
      const { results, generations } = await searchServed([...new Set(targets)], queries, {
        k: body.k,
        rrfK: body.rrfK,
        fusionDepth: ctx.fusionDepth,
        algorithm: ctx.algorithm,
        explain: body.explain,
        stored: body.stored,
        observe: (index, seconds) => ctx.metrics.searchSeconds.observe({ index }, seconds),
      });
      const tookMs = performance.now() - started;
      return c.json(body.queries === undefined ? { ...results[0], tookMs, generations } : { results, tookMs, generations });
    },
  });
}
