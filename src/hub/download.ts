/**
 * `downloadFile`: one file of a model or dataset repository, into the shared Hugging Face cache, returning
 * its path under `snapshots/{commit}/`. The steps follow `huggingface_hub.hf_hub_download`:
 *
 * 1. offline: resolve `refs/{revision}` (or take the hash) → the snapshot entry, or OFFLINE;
 * 2. a commit-hash revision already in the snapshot: return it without a request;
 * 3. HEAD the resolve URL → commit + etag (a 404 for an optional file → null);
 * 4. record `refs/{revision}`; if `blobs/{etag}` is missing, GET the file *pinned to that commit* (so a
 *    branch that moves meanwhile cannot mix versions) into a temporary file, verify size (and sha256 for
 *    LFS), fsync and rename it into place: an interrupted download leaves no blob and no snapshot entry;
 * 5. link `snapshots/{commit}/{file}` → the blob.
 *
 * Source: huggingface/huggingface_hub `file_download.py` (`hf_hub_download`, `_hf_hub_download_to_cache_dir`).
 */
import { existsSync } from "node:fs";
import { AtomicFileWriter } from "../util/atomic-write.js";
import { SpladeError } from "../util/errors.js";
import { RepoCache } from "./cache.js";
import { downloadTo, fetchFileMetadata, fileNotFound, type HttpSetup, type RequestSubject } from "./http.js";
import {
  DEFAULT_ENDPOINT,
  DEFAULT_METADATA_TIMEOUT_MS,
  DEFAULT_REVISION,
  defaultCacheDir,
  type HubOptions,
} from "./options.js";
import {
  assertRepoFilePath,
  assertRepoId,
  assertRevision,
  describeRepo,
  isCommitHash,
  resolveUrl,
  type RepoType,
} from "./repo.js";

export interface DownloadOptions extends HubOptions {
  /** Default "model". */
  repoType?: RepoType;
  /** A missing file (HTTP 404, or absent from a cached snapshot offline) gives null instead of NOT_FOUND. */
  optional?: boolean;
}

/** Where a request landed: the file's snapshot path (null: optional and absent) and the commit, when known. */
export interface FileResolution {
  path: string | null;
  commit: string | undefined;
  /** `{cacheDir}/{models|datasets}--org--name/snapshots/{commit}` when the commit is known. */
  snapshotDir: string | undefined;
}

const LFS_SHA256 = /^[0-9a-f]{64}$/;

function offlineError(repo: string, revision: string, file: string, cache: RepoCache, why: string): SpladeError {
  const problem = `'${file}' of ${repo} at revision '${revision}' is not in the cache (${why} under ${cache.root})`;
  return new SpladeError("OFFLINE", `offline mode (HF_HUB_OFFLINE): ${problem}; run once online or unset HF_HUB_OFFLINE`, {
    path: cache.root,
  });
}

function resolveOffline(cache: RepoCache, revision: string, file: string, optional: boolean): FileResolution {
  const repo = describeRepo(cache.repo);
  const commit = cache.cachedCommit(revision);
  if (commit === undefined) throw offlineError(repo, revision, file, cache, `no refs/${revision}`);
  const snapshotDir = cache.snapshotDir(commit);
  const path = cache.snapshotPath(commit, file);
  if (existsSync(path)) return { path, commit, snapshotDir };
  // An optional file missing from a snapshot we hold is taken as absent from the repository: the snapshot
  // was filled online, where a missing optional file is skipped the same way.
  if (optional && existsSync(snapshotDir)) return { path: null, commit, snapshotDir };
  throw offlineError(repo, revision, file, cache, `no snapshots/${commit}/${file}`);
}

/** The resolution of one file, with the commit even when an optional file is absent (used by resolve.ts). */
export async function resolveRepoFile(
  repoId: string,
  file: string,
  options: DownloadOptions = {},
): Promise<FileResolution> {
  assertRepoId(repoId);
  assertRepoFilePath(file);
  const revision = options.revision ?? DEFAULT_REVISION;
  assertRevision(revision);
  const repo = { id: repoId, type: options.repoType ?? "model" } as const;
  const cache = new RepoCache(options.cacheDir ?? defaultCacheDir(), repo);
  const optional = options.optional ?? false;
  if (options.offline) return resolveOffline(cache, revision, file, optional);

  if (isCommitHash(revision) && existsSync(cache.snapshotPath(revision, file))) {
    const path = cache.snapshotPath(revision, file);
    return { path, commit: revision, snapshotDir: cache.snapshotDir(revision) };
  }

  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  const setup: HttpSetup = {
    fetch: options.fetch ?? globalThis.fetch,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  const subject: RequestSubject = { repo, revision, file };
  const timeoutMs = options.metadataTimeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS;
  const url = resolveUrl(endpoint, repo, revision, file);
  const metadata = await fetchFileMetadata(url, subject, setup, timeoutMs);
  if (!metadata.found) {
    if (metadata.commit !== undefined) cache.writeRef(revision, metadata.commit);
    const snapshotDir = metadata.commit === undefined ? undefined : cache.snapshotDir(metadata.commit);
    if (optional) return { path: null, commit: metadata.commit, snapshotDir };
    throw fileNotFound(subject, url);
  }

  const { commit, etag, sizeBytes } = metadata;
  cache.writeRef(revision, commit);
  const blob = cache.blobPath(etag);
  if (!existsSync(blob)) {
    const writer = await AtomicFileWriter.open(blob);
    try {
      const expected = {
        ...(sizeBytes === undefined ? {} : { sizeBytes }),
        ...(LFS_SHA256.test(etag) ? { sha256: etag } : {}),
      };
      const pinnedUrl = resolveUrl(endpoint, repo, commit, file);
      await downloadTo(writer, pinnedUrl, subject, setup, expected, options.onProgress);
    } catch (e) {
      await writer.abort();
      throw e;
    }
    await writer.commit();
  }
  return { path: cache.linkSnapshot(commit, file, etag), commit, snapshotDir: cache.snapshotDir(commit) };
}

/**
 * Downloads `file` of the Hub repository `repoId` (a model by default; `repoType: "dataset"` for datasets)
 * into the cache and returns its path. With `optional: true`, a file the repository does not have gives
 * null; a missing repository or revision is always an error.
 */
export async function downloadFile(
  repoId: string,
  file: string,
  options: DownloadOptions & { optional: true },
): Promise<string | null>;
export async function downloadFile(
  repoId: string,
  file: string,
  options?: DownloadOptions & { optional?: false },
): Promise<string>;
export async function downloadFile(repoId: string, file: string, options: DownloadOptions = {}): Promise<string | null> {
  return (await resolveRepoFile(repoId, file, options)).path;
}
