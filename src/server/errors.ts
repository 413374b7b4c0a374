/**
 * Errors as the API answers them: `{"error": {"code", "message"}}` with a 4xx status for the client's
 * mistakes (the message names the field and the problem) and 500 only for the server's own faults, whose
 * message never carries a stack trace (the details go to the `log` callback). Library SpladeErrors are
 * mapped here, the one place where their codes become HTTP statuses (as cli/exit-codes.ts does for exit codes).
 */
import type { z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { SpladeError } from "../util/errors.js";

export type ApiErrorCode =
  | "INVALID_JSON"
  | "INVALID_REQUEST"
  | "UNAUTHORIZED"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "READ_ONLY"
  | "SHUTTING_DOWN"
  | "INTERNAL";

const STATUS: Record<ApiErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500 | 503> = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  READ_ONLY: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  SHUTTING_DOWN: 503,
};

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = STATUS[code];
  }
}

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** The API error for anything thrown while answering; `internal` is true when it is the server's fault. */
export function toApiError(error: unknown): { error: ApiError; internal: boolean } {
  if (error instanceof ApiError) return { error, internal: error.code === "INTERNAL" };
  if (error instanceof HTTPException && error.status < 500) {
    const code: ApiErrorCode = error.status === 413 ? "PAYLOAD_TOO_LARGE" : error.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : error.status === 404 ? "NOT_FOUND" : "INVALID_REQUEST";
    return { error: new ApiError(code, error.message || `HTTP ${error.status}`), internal: false };
  }
  if (error instanceof SpladeError) {
    switch (error.code) {
      case "INVALID_ARGUMENT":
      case "UNSUPPORTED":
        return { error: new ApiError("INVALID_REQUEST", error.message), internal: false };
      case "NOT_FOUND":
        return { error: new ApiError("NOT_FOUND", error.message), internal: false };
      case "CANCELLED":
        return { error: new ApiError("SHUTTING_DOWN", error.message), internal: false };
      default:
        break;
    }
  }
  return { error: new ApiError("INTERNAL", "internal error; the server log has the details"), internal: true };
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? String(part) : `.${String(part)}`;
  return out;
}

/** One line per problem, each starting with the field: `k: too big: expected number to be <=1000`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], where: string): string {
  const lines = issues.slice(0, 5).map((issue) => {
    const path = fieldPath(issue.path);
    const field = path === "" ? where : path;
    if (issue.code === "unrecognized_keys") return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    const message = issue.message.replace(/^Invalid input: /, "");
    return `${field}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  });
  if (issues.length > 5) lines.push(`(${issues.length - 5} more)`);
  return lines.join("; ");
}
