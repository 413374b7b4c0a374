/**
 * Options of the Hub client, their defaults (one place), and `hubOptionsFromEnv`, which reads the same
 * environment variables as Python's `huggingface_hub` so both share a cache, an endpoint and a login. The
 * library never reads `process.env` itself: the CLI passes its environment to `hubOptionsFromEnv`.
 *
 * Source: huggingface/huggingface_hub `src/huggingface_hub/constants.py` (HF_HOME, HF_HUB_CACHE,
 * HF_ENDPOINT, HF_HUB_OFFLINE, HF_TOKEN_PATH, `_is_true`, DEFAULT_ETAG_TIMEOUT) and `utils/_auth.py`
 * (HF_TOKEN, then the token file that `huggingface-cli login` writes).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** `huggingface_hub` `constants._HF_DEFAULT_ENDPOINT`. */
export const DEFAULT_ENDPOINT = "https://huggingface.co";
/** `huggingface_hub` `constants.DEFAULT_REVISION`. */
export const DEFAULT_REVISION = "main";
/** `huggingface_hub` `constants.DEFAULT_ETAG_TIMEOUT` (10 s): how long the metadata request may take. */
export const DEFAULT_METADATA_TIMEOUT_MS = 10_000;

export interface HubProgress {
  /** The file inside the repository, e.g. `model.safetensors`. */
  file: string;
  receivedBytes: number;
  /** From Content-Length, when the server sends it. */
  totalBytes?: number;
}

export interface HubOptions {
  /** Hub base URL without a trailing slash; default `https://huggingface.co`. */
  endpoint?: string;
  /** Sent as `Authorization: Bearer <token>` (private and gated repositories). */
  token?: string;
  /** The hub cache folder (`models--org--name/...` lives here); default `~/.cache/huggingface/hub`. */
  cacheDir?: string;
  /** Cache only: never touch the network, resolve `refs/{revision}` → `snapshots/{commit}`. */
  offline?: boolean;
  /** Branch, tag or commit hash; default `main`. */
  revision?: string;
  /** Injectable `fetch` (tests, proxies); default the global one. */
  fetch?: typeof fetch;
  onProgress?: (progress: HubProgress) => void;
  /** Aborting it cancels the request in flight (SpladeError CANCELLED). */
  signal?: AbortSignal;
  /** Limit for each metadata (HEAD) request; default 10 s. Downloads themselves have no time limit. */
  metadataTimeoutMs?: number;
}

/** `~/.cache/huggingface/hub`, the default of `huggingface_hub` when no variable is set. */
export function defaultCacheDir(home: string = homedir()): string {
  return join(home, ".cache", "huggingface", "hub");
}

/** `huggingface_hub` `_is_true`: 1, ON, YES, TRUE in any case. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ["1", "ON", "YES", "TRUE"].includes(value.toUpperCase());
}

function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? join(home, path.slice(1)) : path;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * Hub options from environment variables, as `huggingface_hub` reads them:
 * - cache: `HF_HUB_CACHE`, else `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`; `HF_HOME` defaults to
 *   `$XDG_CACHE_HOME/huggingface`, then `~/.cache/huggingface`;
 * - endpoint: `HF_ENDPOINT` (trailing slashes dropped);
 * - token: `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, else the file at `HF_TOKEN_PATH` (default
 *   `$HF_HOME/token`, written by `huggingface-cli login`) when it exists;
 * - offline: `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to 1/ON/YES/TRUE.
 */
export function hubOptionsFromEnv(env: NodeJS.ProcessEnv): HubOptions {
  const home = nonEmpty(env.HOME) ?? homedir();
  const hfHome = expandHome(
    nonEmpty(env.HF_HOME) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(home, ".cache"), "huggingface"),
    home,
  );
  const cacheDir = expandHome(
    nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome, "hub"),
    home,
  );
  const options: HubOptions = {
    cacheDir,
    offline: isTrue(env.HF_HUB_OFFLINE) || isTrue(env.TRANSFORMERS_OFFLINE),
  };
  const endpoint = nonEmpty(env.HF_ENDPOINT);
  if (endpoint !== undefined) options.endpoint = endpoint.replace(/\/+$/, "");
  const token = nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN) ?? readTokenFile(env, hfHome, home);
  if (token !== undefined) options.token = token;
  return options;
}

function readTokenFile(env: NodeJS.ProcessEnv, hfHome: string, home: string): string | undefined {
  const path = expandHome(nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome, "token"), home);
  return existsSync(path) ? nonEmpty(readFileSync(path, "utf8")) : undefined;
}
