/**
 * OpenSearch client errors → what the push loop and the CLI need: TransientEngineError for what is worth
 * retrying (connection refused/reset, timeouts, HTTP 429 and 5xx), SpladeError otherwise: NETWORK for
 * authentication failures and answers that are not OpenSearch's, CONFLICT for a target that exists with
 * another shape, NOT_FOUND for a missing index, INVALID_ARGUMENT for a request the engine refuses.
 */
import { errors } from "@opensearch-project/opensearch";
import { SpladeError } from "../util/errors.js";
import { TransientEngineError } from "./engine.js";

function reasonOf(body: unknown): string {
  const b = body as { error?: { type?: string; reason?: string; caused_by?: { reason?: string } } | string } | string | undefined;
  if (typeof b === "string") return b.slice(0, 200);
  const e = b?.error;
  if (typeof e === "string") return e;
  if (e?.type !== undefined) return `${e.type}: ${e.reason ?? ""}${e.caused_by?.reason ? ` (${e.caused_by.reason})` : ""}`;
  return JSON.stringify(b ?? "").slice(0, 200);
}

export function errorType(error: unknown): string | undefined {
  return error instanceof errors.ResponseError ? (error.body as { error?: { type?: string } } | undefined)?.error?.type : undefined;
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Maps an error from the OpenSearch client; `what` says what was being done, `where` the target. */
export function openSearchError(error: unknown, what: string, where: string): Error {
  if (error instanceof SpladeError || error instanceof TransientEngineError) return error;
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode;
    const reason = reasonOf(error.body);
    if (isTransientStatus(status)) return new TransientEngineError(`${what}: HTTP ${status} from ${where}: ${reason}`, { cause: error });
    if (status === 401 || status === 403) {
      return new SpladeError("NETWORK", `${what}: authentication failed (HTTP ${status}) at ${where}: check the user and password in --url`, { cause: error });
    }
    if (status === 404) return new SpladeError("NOT_FOUND", `${what}: ${where}: ${reason}`, { cause: error });
    if (status === 413) return new SpladeError("INVALID_ARGUMENT", `${what}: ${where} refused a request this large (HTTP 413); lower --batch-size`, { cause: error });
    const type = errorType(error);
    if (type === "resource_already_exists_exception" || type === "illegal_argument_exception" || type === "mapper_parsing_exception") {
      return new SpladeError("CONFLICT", `${what}: ${where}: ${reason}`, { cause: error });
    }
    return new SpladeError("INVALID_ARGUMENT", `${what}: HTTP ${status} from ${where}: ${reason}`, { cause: error });
  }
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return new TransientEngineError(`${what}: cannot reach ${where} (${error.message})`, { cause: error });
  }
  if (error instanceof errors.DeserializationError) {
    return new SpladeError("NETWORK", `${what}: ${where} answered something that is not OpenSearch JSON (wrong --url?)`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SpladeError("NETWORK", `${what}: ${where}: ${message}`, { cause: error });
}
