/**
 * PostgreSQL errors (pg's DatabaseError carries the SQLSTATE in `code`; socket errors carry Node's errno
 * code) → TransientEngineError or SpladeError, by SQLSTATE class (PostgreSQL manual, Appendix A):
 *  08 connection exception, 53 insufficient resources, 57P01–57P03 shutdown / cannot connect now,
 *  40001 serialization failure, 40P01 deadlock → transient (retried, after a reconnect for 08/57);
 *  28 invalid authorization → NETWORK (authentication failed); 3D000 no such database → NETWORK (wrong URL);
 *  42P01 undefined table → NOT_FOUND; 42 (other) and 22 data exceptions → CONFLICT (the table does not have
 *  the shape splade-ts writes); anything else → NETWORK with the server's message.
 */
import { SpladeError } from "../util/errors.js";
import { TransientEngineError } from "./engine.js";

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND"]);

export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code))) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|Client was closed/i.test(message);
}

export function postgresError(error: unknown, what: string, where: string): Error {
  if (error instanceof SpladeError || error instanceof TransientEngineError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (isConnectionLost(error) || code === "53300" || (typeof code === "string" && (code.startsWith("53") || code === "40001" || code === "40P01"))) {
    return new TransientEngineError(`${what}: ${where}: ${message}${typeof code === "string" ? ` (${code})` : ""}`, { cause: error });
  }
  if (typeof code === "string") {
    if (code.startsWith("28")) return new SpladeError("NETWORK", `${what}: authentication failed at ${where} (${code}: ${message}): check the user and password in --url`, { cause: error });
    if (code === "3D000") return new SpladeError("NETWORK", `${what}: ${where}: ${message} (wrong database in --url?)`, { cause: error });
    if (code === "42P01") return new SpladeError("NOT_FOUND", `${what}: ${where}: ${message}`, { cause: error });
    if (code.startsWith("42") || code.startsWith("22")) return new SpladeError("CONFLICT", `${what}: ${where}: ${message} (${code})`, { cause: error });
  }
  return new SpladeError("NETWORK", `${what}: ${where}: ${message}`, { cause: error });
}
