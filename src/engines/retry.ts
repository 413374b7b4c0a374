/**
 * Retries with exponential backoff and full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs · 2^n)). Only TransientEngineError is
 * retried; when the attempts run out, it becomes a NETWORK SpladeError naming what kept failing.
 */
import { SpladeError } from "../util/errors.js";
import { TransientEngineError } from "./engine.js";

export interface RetryOptions {
  /** Attempts after the first (default 5). */
  readonly retries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Called before each wait (the CLI counts retries). */
  readonly onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Replaces Math.random (tests). */
  readonly random?: () => number;
}

export const RETRY_DEFAULTS = { retries: 5, baseDelayMs: 250, maxDelayMs: 10_000 } as const;

export function backoffDelayMs(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const cap = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  return Math.floor((options.random ?? Math.random)() * Math.min(cap, base * 2 ** attempt));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(what: string, run: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? RETRY_DEFAULTS.retries;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof TransientEngineError)) throw error;
      if (attempt >= retries) {
        throw new SpladeError("NETWORK", `${what}: ${error.message} (gave up after ${attempt + 1} attempts)`, { cause: error });
      }
      const delayMs = backoffDelayMs(attempt, options);
      options.onRetry?.({ attempt: attempt + 1, delayMs, reason: error.message });
      await sleep(delayMs);
    }
  }
}
