/**
 * The Hono application: a lifecycle middleware (in-flight count for graceful shutdown, `Connection: close`
 * while draining and 503 after, request metrics by route pattern), the routes, and one error handler that turns anything thrown into the
 * API's error shape (errors.ts).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { ServerContext, ServerEnv } from "./context.js";
import { ApiError, toApiError } from "./errors.js";
import { pageRoutes } from "./routes/page.js";
import { serviceRoutes } from "./routes/service.js";
import { searchRoutes } from "./routes/search.js";
import { encodeRoutes } from "./routes/encode.js";
import { documentRoutes } from "./routes/documents.js";

export function buildApp(ctx: ServerContext, version: string): OpenAPIHono<ServerEnv> {
  const app = new OpenAPIHono<ServerEnv>();
  app.use(async (c, next) => {
    if (ctx.state.refusing) {
      c.header("Connection", "close");
      throw new ApiError("SHUTTING_DOWN", "the server is shutting down");
    }
    const started = performance.now();
    ctx.state.inFlight++;
    ctx.metrics.inFlight.inc();
    try {
      await next();
    } finally {
      ctx.state.inFlight--;
      ctx.metrics.inFlight.dec();
      const route = c.get("route") ?? "unmatched";
      ctx.metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      ctx.metrics.requestSeconds.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
      if (ctx.state.closing) c.header("Connection", "close");
    }
  });
  pageRoutes(app);
  serviceRoutes(app, ctx, version);
  searchRoutes(app, ctx);
  encodeRoutes(app, ctx);
  documentRoutes(app, ctx);
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}; the API is described at GET /openapi.json` } }, 404));
  app.onError((error, c) => {
    const { error: api, internal } = toApiError(error);
    if (internal) ctx.log({ kind: "error", method: c.req.method, path: c.req.path, error });
    return c.json({ error: { code: api.code, message: api.message } }, api.status as 400);
  });
  return app;
}
