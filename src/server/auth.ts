/**
 * API keys: with a key configured, writes need `Authorization: Bearer <key>`, and so do reads when reads are
 * protected. /health and the page's static files stay open (they hold no data; the page asks for the key).
 * Keys are compared in constant time (over their SHA-256 digests, so lengths leak nothing either).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { ApiError } from "./errors.js";

export type Access = "open" | "read" | "write";

export interface AuthSettings {
  readonly apiKey: string | null;
  readonly protectReads: boolean;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export function authorizer(settings: AuthSettings): (c: Context, access: Access) => void {
  if (settings.apiKey === null) return () => undefined;
  const expected = digest(settings.apiKey);
  return (c, access) => {
    if (access === "open" || (access === "read" && !settings.protectReads)) return;
    const header = c.req.header("authorization");
    c.header("WWW-Authenticate", 'Bearer realm="splade"');
    if (header === undefined) throw new ApiError("UNAUTHORIZED", "Authorization: missing; send Authorization: Bearer <api key>");
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match === null) throw new ApiError("UNAUTHORIZED", "Authorization: expected the Bearer scheme (Authorization: Bearer <api key>)");
    if (!timingSafeEqual(digest(match[1]), expected)) throw new ApiError("UNAUTHORIZED", "Authorization: the API key is not valid");
    c.header("WWW-Authenticate", undefined);
  };
}
