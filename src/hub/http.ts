/**
 * HTTP against the Hub: the metadata request (HEAD on `/resolve/`), the download stream, and the mapping of
 * every failure to a SpladeError that names the URL and says what to do.
 *
 * As `huggingface_hub` does, the metadata request follows only *relative* redirects (a renamed repository
 * answers 307 to its new path) and stops at absolute ones (an LFS file answers 302 to its CDN): the answer
 * that stops carries `X-Repo-Commit`, `X-Linked-Etag` / `ETag` and `X-Linked-Size`. `Accept-Encoding:
 * identity` keeps sizes and checksums about the bytes stored. The download follows every redirect; fetch
 * drops the Authorization header on a cross-origin hop, so the token never reaches the CDN.
 *
 * Source: huggingface/huggingface_hub `file_download.py` (`get_hf_file_metadata`, `_request_wrapper`,
 * `_normalize_etag`, `http_get`) and `utils/_http.py` (`hf_raise_for_status`: the `X-Error-Code` values
 * RepositoryNotFound, RevisionNotFound, EntryNotFound, GatedRepo).
 */
import { createHash } from "node:crypto";
import { SpladeError } from "../util/errors.js";
import type { AtomicFileWriter } from "../util/atomic-write.js";
import type { HubProgress } from "./options.js";
import { describeRepo, type RepoRef } from "./repo.js";

export interface HttpSetup {
  fetch: typeof fetch;
  token?: string;
  signal?: AbortSignal;
}

/** What a request is about, for messages. */
export interface RequestSubject {
  repo: RepoRef;
  revision: string;
  file: string;
}

export type FileMetadata =
  | { found: true; commit: string; etag: string; sizeBytes?: number }
  /** A 404 for the file itself (not the repository or revision); the Hub still names the commit. */
  | { found: false; commit?: string };

const MAX_RELATIVE_REDIRECTS = 10;
const UNREACHABLE_HINT = "check the connection and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only cached files";

function headersFor(setup: HttpSetup): Record<string, string> {
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (setup.token !== undefined) headers.Authorization = `Bearer ${setup.token}`;
  return headers;
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

function isAbsoluteUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith("//");
}

async function send(url: string, init: RequestInit, setup: HttpSetup, timeoutMs?: number): Promise<Response> {
  const signals = [setup.signal, timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)];
  const active = signals.filter((s): s is AbortSignal => s !== undefined);
  try {
    return await setup.fetch(url, { ...init, headers: headersFor(setup), signal: AbortSignal.any(active) });
  } catch (e) {
    if (setup.signal?.aborted) throw new SpladeError("CANCELLED", `request to ${url} cancelled`, { cause: e });
    const problem = (e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : causeOf(e);
    throw new SpladeError("NETWORK", `cannot reach ${url} (${problem}): ${UNREACHABLE_HINT}`, { cause: e });
  }
}

export function fileNotFound(subject: RequestSubject, url: string): SpladeError {
  const repo = describeRepo(subject.repo);
  const problem = `'${subject.file}' not found in ${repo} at revision '${subject.revision}'`;
  return new SpladeError("NOT_FOUND", `${problem} (${url})`);
}

/** The error for a non-success answer (other than a file 404 the caller accepts). */
export function statusError(
  response: Response,
  url: string,
  subject: RequestSubject,
  setup: HttpSetup,
): SpladeError {
  const repo = describeRepo(subject.repo);
  const { status } = response;
  const errorCode = response.headers.get("x-error-code");
  const tokenHint =
    setup.token === undefined
      ? "set HF_TOKEN to a token with access"
      : "the token given (HF_TOKEN) was refused or has no access";
  if (errorCode === "RepositoryNotFound") {
    const problem = `repository ${repo} not found (HTTP ${status} from ${url})`;
    return new SpladeError("NOT_FOUND", `${problem}: check the id; if it is private, ${tokenHint}`);
  }
  if (errorCode === "RevisionNotFound") {
    return new SpladeError("NOT_FOUND", `revision '${subject.revision}' not found in ${repo} (${url})`);
  }
  if (errorCode === "GatedRepo") {
    const problem = `${repo} is gated (HTTP ${status} from ${url})`;
    return new SpladeError("NETWORK", `${problem}: accept its conditions on the Hub, and ${tokenHint}`);
  }
  if (status === 404) return fileNotFound(subject, url);
  if (status === 401 || status === 403) {
    return new SpladeError("NETWORK", `HTTP ${status} from ${url}: ${repo} may be private or gated; ${tokenHint}`);
  }
  return new SpladeError("NETWORK", `HTTP ${status} ${response.statusText} from ${url}`);
}

/** `huggingface_hub` `_normalize_etag`: drop a weak `W/` prefix and the quotes. */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

/** Names from the server become file names in the cache: keep them to one safe path segment. */
function isSafeName(name: string): boolean {
  return /^[\w.-]+$/.test(name) && name !== "." && name !== "..";
}

function sizeHeader(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Content-Length when it counts the bytes stored (no content encoding). */
function plainLength(response: Response): number | undefined {
  if (response.headers.get("content-encoding") !== null) return undefined;
  return sizeHeader(response.headers.get("content-length"));
}

/** HEAD on the resolve URL: the commit, the blob's etag and size, or "absent" for a file 404. */
export async function fetchFileMetadata(
  url: string,
  subject: RequestSubject,
  setup: HttpSetup,
  timeoutMs: number,
): Promise<FileMetadata> {
  let current = url;
  for (let hop = 0; hop <= MAX_RELATIVE_REDIRECTS; hop++) {
    const response = await send(current, { method: "HEAD", redirect: "manual" }, setup, timeoutMs);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null && !isAbsoluteUrl(location)) {
      current = new URL(location, current).toString();
      continue;
    }
    const commit = response.headers.get("x-repo-commit") ?? undefined;
    const errorCode = response.headers.get("x-error-code");
    if (response.status === 404 && errorCode !== "RepositoryNotFound" && errorCode !== "RevisionNotFound") {
      return { found: false, ...(commit !== undefined && isSafeName(commit) ? { commit } : {}) };
    }
    if (response.status >= 400) throw statusError(response, current, subject, setup);
    const rawEtag = response.headers.get("x-linked-etag") ?? response.headers.get("etag");
    if (commit === undefined || rawEtag === null) {
      const problem = "answered without X-Repo-Commit or ETag headers";
      throw new SpladeError("NETWORK", `${current} ${problem}: is HF_ENDPOINT a Hugging Face Hub?`);
    }
    const etag = normalizeEtag(rawEtag);
    if (!isSafeName(commit) || !isSafeName(etag)) {
      throw new SpladeError("NETWORK", `${current} answered with an unusable commit '${commit}' or ETag '${etag}'`);
    }
    // X-Linked-Size is the LFS file's size; a plain 200's Content-Length is the file's own.
    const linkedSize = sizeHeader(response.headers.get("x-linked-size"));
    const sizeBytes = linkedSize ?? (location === null ? plainLength(response) : undefined);
    return { found: true, commit, etag, ...(sizeBytes !== undefined ? { sizeBytes } : {}) };
  }
  throw new SpladeError("NETWORK", `${url}: more than ${MAX_RELATIVE_REDIRECTS} redirects`);
}

export interface DownloadExpectation {
  sizeBytes?: number;
  /** Hex sha256 of the content; LFS etags are exactly that, so they are checked. */
  sha256?: string;
}

/**
 * GETs `url` (following redirects) into `writer`, checking the size against Content-Length and
 * `expected`, and the sha256 when known. The caller commits the writer on success and aborts it on error.
 */
export async function downloadTo(
  writer: AtomicFileWriter,
  url: string,
  subject: RequestSubject,
  setup: HttpSetup,
  expected: DownloadExpectation,
  onProgress?: (progress: HubProgress) => void,
): Promise<void> {
  const response = await send(url, { method: "GET", redirect: "follow" }, setup);
  if (!response.ok || response.body === null) throw statusError(response, url, subject, setup);
  const declared = plainLength(response);
  const totalBytes = declared ?? expected.sizeBytes;
  const hash = expected.sha256 === undefined ? undefined : createHash("sha256");
  let receivedBytes = 0;
  try {
    for await (const chunk of response.body) {
      await writer.write(chunk);
      hash?.update(chunk);
      receivedBytes += chunk.byteLength;
      onProgress?.({ file: subject.file, receivedBytes, ...(totalBytes === undefined ? {} : { totalBytes }) });
    }
  } catch (e) {
    if (setup.signal?.aborted) throw new SpladeError("CANCELLED", `download of ${url} cancelled`, { cause: e });
    const problem = `failed after ${receivedBytes} bytes (${causeOf(e)})`;
    throw new SpladeError("NETWORK", `download of ${url} ${problem}`, { cause: e });
  }
  for (const size of [declared, expected.sizeBytes]) {
    if (size !== undefined && size !== receivedBytes) {
      throw new SpladeError("NETWORK", `download of ${url} ended after ${receivedBytes} of ${size} bytes`);
    }
  }
  const digest = hash?.digest("hex");
  if (digest !== undefined && digest !== expected.sha256) {
    const problem = `sha256 ${digest} differs from the ETag ${expected.sha256}`;
    throw new SpladeError("CHECKSUM_MISMATCH", `download of ${url}: ${problem}`);
  }
}
