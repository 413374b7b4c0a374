/**
 * Declaring a route: its OpenAPI description (schemas from schemas.ts) is registered for /openapi.json and
 * its handler is mounted behind the access check, with the route pattern recorded for metrics. Bodies are
 * parsed and validated in the handlers (body.ts) rather than by @hono/zod-openapi's validator, so that every
 * failure has this API's error shape and the body is parsed once.
 */
import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Access } from "./auth.js";
import type { ServerContext, ServerEnv } from "./context.js";

type Method = "get" | "post" | "delete";

export interface RouteSpec {
  readonly method: Method;
  /** OpenAPI style: /indexes/{name}/documents/{id}. */
  readonly path: string;
  readonly access: Access;
  readonly summary: string;
  readonly description?: string;
  readonly request?: RouteConfig["request"];
  readonly responses: RouteConfig["responses"];
  readonly handler: (c: Context<ServerEnv>) => Promise<Response> | Response;
}

const ERROR_STATUSES: Record<number, string> = {
  400: "Invalid JSON or a field that breaks the schema (the message names it)",
  401: "Missing or wrong API key",
  404: "Unknown index or document",
  413: "Body larger than the limit",
  415: "Body is not application/json",
  503: "Shutting down",
};

export function addRoute(app: OpenAPIHono<ServerEnv>, ctx: ServerContext, spec: RouteSpec): void {
  const errors = Object.fromEntries(
    Object.entries(ERROR_STATUSES)
      .filter(([status]) => (status !== "401" || (ctx.secured && spec.access !== "open")) && (status !== "413" && status !== "415" ? true : spec.method === "post"))
      .map(([status, description]) => [status, { description, content: { "application/json": { schema: ctx.schemas.ErrorBody } } }]),
  );
  const protectedRoute = ctx.secured && (spec.access === "write" || (spec.access === "read" && ctx.protectReads));
  app.openAPIRegistry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.request ? { request: spec.request } : {}),
    responses: { ...spec.responses, ...errors },
    ...(protectedRoute ? { security: [{ bearer: [] }] } : {}),
  });
  const pattern = spec.path.replace(/\{(\w+)\}/g, ":$1");
  app.on(spec.method.toUpperCase(), pattern, async (c) => {
    c.set("route", pattern);
    ctx.authorize(c, spec.access);
    return spec.handler(c);
  });
}
