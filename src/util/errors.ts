/**
 * One error type for the whole library. Library code never prints or exits: it throws a SpladeError whose
 * `code` says what went wrong and whose message names the file (or input) and the problem. `cli/` maps codes
 * to exit codes and messages.
 */
export type SpladeErrorCode =
  | "FILE_NOT_FOUND" // a required file is missing
  | "INVALID_FILE" // a file exists but is malformed, truncated, not UTF-8, of the wrong format or version
  | "CHECKSUM_MISMATCH" // an on-disk structure failed its integrity check
  | "INVALID_ARGUMENT" // a caller passed something out of range or of the wrong shape
  | "UNSUPPORTED" // a model architecture, dtype or option this library does not implement
  | "NETWORK" // the Hub (or another HTTP server) could not be reached or answered with an error
  | "OFFLINE" // offline mode is on and the file is not in the cache
  | "NOT_FOUND" // an id, name or key that was asked for does not exist
  | "CONFLICT" // an existing target (engine index or table) has another shape, model or owner than asked for
  | "IO" // the operating system refused to read or write a file (disk full, permission denied, read-only file system)
  | "RUNTIME" // the numeric runtime (onnxruntime) or a worker thread failed
  | "CANCELLED"; // the caller aborted the operation

export class SpladeError extends Error {
  readonly code: SpladeErrorCode;
  /** The file or resource the error is about, when there is one. */
  readonly path?: string;

  constructor(code: SpladeErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SpladeError";
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
  }
}

export function isSpladeError(e: unknown, code?: SpladeErrorCode): e is SpladeError {
  return e instanceof SpladeError && (code === undefined || e.code === code);
}

/** An error as a worker thread posts it back to its caller (a structured clone keeps no class). */
export interface ErrorData {
  readonly message: string;
  /** Only a SpladeError's code: other errors' codes (an fs error's "ENOSPC") are not SpladeErrorCodes. */
  readonly code?: SpladeErrorCode;
  readonly path?: string;
}

/** What a worker posts for `error`: a SpladeError with its code and path, anything else by its message. */
export function errorData(error: unknown): ErrorData {
  if (error instanceof SpladeError) return { message: error.message, code: error.code, ...(error.path === undefined ? {} : { path: error.path }) };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The caller's side of errorData: the SpladeError again, or RUNTIME with `context` naming the thread. */
export function errorFromData(data: ErrorData, context: string): SpladeError {
  if (data.code !== undefined) return new SpladeError(data.code, data.message, data.path === undefined ? {} : { path: data.path });
  return new SpladeError("RUNTIME", `${context}: ${data.message}`);
}

/** Throws INVALID_ARGUMENT with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SpladeError("INVALID_ARGUMENT", message);
}
