/**
 * The Hugging Face cache layout, shared with Python's `huggingface_hub` (either can fill it, both can read
 * it):
 *
 *   {cacheDir}/models--{org}--{name}/
 *     blobs/{etag}                     file contents, named by ETag (git blob sha1, or sha256 for LFS files)
 *     refs/{revision}                  the commit hash a branch or tag pointed to when last resolved
 *     snapshots/{commit}/{file}        relative symlink to ../../blobs/{etag} (a copy where symlinks fail)
 *
 * Blobs are created by the downloader (atomically); this module names paths, reads and writes refs, and
 * links snapshot entries. Linking is atomic too: the link (or copy) is made under a temporary name and
 * renamed into place, so a snapshot entry is either absent or complete.
 *
 * Source: huggingface/huggingface_hub `file_download.py` (`_create_symlink`: relative links, copy fallback;
 * `_cache_commit_hash_for_specific_revision`: refs written without a newline) and the cache guide
 * https://huggingface.co/docs/huggingface_hub/guides/manage-cache.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { isCommitHash, repoFolderName, type RepoRef } from "./repo.js";

export class RepoCache {
  /** `{cacheDir}/models--org--name`. */
  readonly root: string;

  constructor(
    cacheDir: string,
    readonly repo: RepoRef,
  ) {
    this.root = join(cacheDir, repoFolderName(repo));
  }

  blobPath(etag: string): string {
    return join(this.root, "blobs", etag);
  }

  snapshotDir(commit: string): string {
    return join(this.root, "snapshots", commit);
  }

  snapshotPath(commit: string, file: string): string {
    return join(this.snapshotDir(commit), ...file.split("/"));
  }

  private refPath(revision: string): string {
    return join(this.root, "refs", ...revision.split("/"));
  }

  /** The commit a revision resolves to from the cache alone: itself if it is a hash, else `refs/{revision}`. */
  cachedCommit(revision: string): string | undefined {
    if (isCommitHash(revision)) return revision;
    const path = this.refPath(revision);
    if (!existsSync(path)) return undefined;
    const commit = readFileSync(path, "utf8").trim();
    return commit === "" ? undefined : commit;
  }

  /** Records that `revision` (a branch or tag) now points at `commit`; nothing to record for a hash. */
  writeRef(revision: string, commit: string): void {
    if (revision === commit) return;
    const path = this.refPath(revision);
    if (existsSync(path) && readFileSync(path, "utf8").trim() === commit) return;
    writeFileAtomicSync(path, commit);
  }

  /** Makes `snapshots/{commit}/{file}` point at `blobs/{etag}`, replacing whatever was there. */
  linkSnapshot(commit: string, file: string, etag: string): string {
    const target = this.snapshotPath(commit, file);
    const blob = this.blobPath(etag);
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      try {
        symlinkSync(relative(dirname(target), blob), temporary);
      } catch {
        // Symlinks can be unavailable (Windows without developer mode, some network file systems);
        // huggingface_hub copies the blob in that case, and so do we.
        copyFileSync(blob, temporary);
      }
      renameSync(temporary, target);
    } catch (e) {
      rmSync(temporary, { force: true });
      throw e;
    }
    return target;
  }
}
