/**
 * Reading a JSON request body by hand, so that each way it can be wrong gets its own answer: a media type
 * other than JSON is 415; more than `maxBytes` is 413, decided from Content-Length before reading when the
 * client declares it and by counting otherwise (the read stops there); bytes that are not UTF-8 and text that
 * is not JSON are 400 INVALID_JSON with the position. The body is parsed once, then validated against its
 * schema (schemas.ts) with every problem named by its field.
 */
import type { Context } from "hono";
import type { z } from "@hono/zod-openapi";
import { ApiError, describeIssues } from "./errors.js";

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function invalidUtf8At(bytes: Uint8Array): number {
  // Binary search for the longest valid prefix (streaming decode reports no position).
  let lo = 0;
  let hi = bytes.length;
  const probe = new TextDecoder("utf-8", { fatal: true });
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    try {
      probe.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

async function readBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const declared = c.req.header("content-length");
  const tooLarge = () => new ApiError("PAYLOAD_TOO_LARGE", `request body is larger than the limit of ${maxBytes} bytes`);
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
  const body = c.req.raw.body;
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** The request's JSON body, parsed and validated against `schema`. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const type = c.req.header("content-type");
  const media = type?.split(";")[0].trim() ?? "";
  if (!JSON_MEDIA.test(media)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", type === undefined ? "Content-Type: missing; send application/json" : `Content-Type: ${media} is not supported; send application/json`);
  }
  const bytes = await readBytes(c, maxBytes);
  if (bytes.byteLength === 0) throw new ApiError("INVALID_JSON", "body: empty; send a JSON object");
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError("INVALID_JSON", `body: not valid UTF-8 (at byte ${invalidUtf8At(bytes)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError("INVALID_JSON", `body: not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError("INVALID_REQUEST", describeIssues(parsed.error.issues, "body"));
  return parsed.data;
}
