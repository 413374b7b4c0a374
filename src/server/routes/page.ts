/**
 * GET /: the search page, plain HTML, CSS and ES modules shipped in the package's assets/page/ (no build
 * step). The files are read once when the server starts and served from memory; only the names listed in
 * the folder are served, so no request path reaches the file system.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServerEnv } from "../context.js";

/** assets/page/ of the package (same depth from src/server/routes and dist/server/routes). */
export const PAGE_DIR = fileURLToPath(new URL("../../../assets/page/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

export function pageRoutes(app: OpenAPIHono<ServerEnv>): void {
  const files = new Map<string, { body: Uint8Array; type: string }>();
  for (const name of readdirSync(PAGE_DIR)) {
    const type = TYPES[name.slice(name.lastIndexOf("."))];
    if (type !== undefined) files.set(name, { body: readFileSync(join(PAGE_DIR, name)), type });
  }
  const serve = (name: string) => (c: { body: (data: Uint8Array, status: 200, headers: Record<string, string>) => Response; notFound: () => Response | Promise<Response> }) => {
    const file = files.get(name);
    if (file === undefined) return c.notFound();
    return c.body(file.body, 200, { "Content-Type": file.type, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" });
  };
  app.get("/", (c) => {
    c.set("route", "/");
    return serve("index.html")(c);
  });
  app.get("/page/:file", (c) => {
    c.set("route", "/page/:file");
    return serve(c.req.param("file"))(c);
  });
}
