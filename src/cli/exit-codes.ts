/**
 * Maps library errors to process exit codes and one-line messages. The only place where SpladeError codes
 * become user-facing text. Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 bad input file,
 * 4 not found, 5 network/offline, 6 unsupported, 7 runtime, 8 file system (disk full, permissions).
 */
import { SpladeError, type SpladeErrorCode } from "../util/errors.js";

const EXIT_BY_CODE: Record<SpladeErrorCode, number> = {
  INVALID_ARGUMENT: 2,
  FILE_NOT_FOUND: 3,
  INVALID_FILE: 3,
  CHECKSUM_MISMATCH: 3,
  CONFLICT: 3,
  NOT_FOUND: 4,
  NETWORK: 5,
  OFFLINE: 5,
  UNSUPPORTED: 6,
  RUNTIME: 7,
  IO: 8,
  CANCELLED: 130,
};

export function exitCodeFor(error: unknown): number {
  return error instanceof SpladeError ? EXIT_BY_CODE[error.code] : 1;
}

export function messageFor(error: unknown): string {
  if (error instanceof SpladeError) return `splade: error [${error.code}]: ${error.message}`;
  if (error instanceof Error) return `splade: unexpected error: ${error.stack ?? error.message}`;
  return `splade: unexpected error: ${String(error)}`;
}
