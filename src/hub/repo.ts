/**
 * Repository ids, file paths inside repositories, and the two names derived from them: the download URL
 * (`{endpoint}/{datasets/}{repo}/resolve/{revision}/{file}`) and the cache folder
 * (`models--{org}--{name}`, `datasets--{org}--{name}`).
 *
 * Sources: huggingface/huggingface_hub `file_download.py` (`hf_hub_url`: the file quoted with `/` kept, the
 * revision quoted entirely; `repo_folder_name`), `utils/_validators.py` (`validate_repo_id`: one optional
 * namespace, `[\w.-]`, at most 96 characters, no `--` or `..`), `constants.py` (REPO_ID_SEPARATOR `--`,
 * REPO_TYPES_URL_PREFIXES).
 */
import { SpladeError } from "../util/errors.js";

export type RepoType = "model" | "dataset";

export interface RepoRef {
  /** `org/name` or `name`. */
  readonly id: string;
  readonly type: RepoType;
}

const REPO_ID = /^(?:[\w.-]+\/)?[\w.-]{1,96}$/;

export function isValidRepoId(id: string): boolean {
  return REPO_ID.test(id) && !id.includes("--") && !id.includes("..") && !id.startsWith(".") && !id.endsWith(".");
}

export function assertRepoId(id: string): void {
  if (!isValidRepoId(id)) {
    throw new SpladeError(
      "INVALID_ARGUMENT",
      `'${id}' is not a Hugging Face repository id ('org/name' or 'name': letters, digits, '-', '_', '.')`,
    );
  }
}

/** No empty, `.` or `..` segment and no backslash: joined under a folder, it can never leave it. */
function isSafeRelativePath(path: string): boolean {
  return !path.includes("\\") && path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** A path inside a repository: `model.safetensors`, `1_SpladePooling/config.json`. */
export function assertRepoFilePath(file: string): void {
  if (!isSafeRelativePath(file)) {
    throw new SpladeError("INVALID_ARGUMENT", `'${file}' is not a relative file path inside a repository`);
  }
}

/** A branch, tag or commit (`main`, `v1.0`, `refs/pr/1`, a hash); it becomes a path under `refs/`. */
export function assertRevision(revision: string): void {
  if (!isSafeRelativePath(revision)) {
    throw new SpladeError("INVALID_ARGUMENT", `'${revision}' is not a valid revision (branch, tag or commit)`);
  }
}

const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

/** `models--org--name` / `datasets--org--name`. */
export function repoFolderName(repo: RepoRef): string {
  return [`${repo.type}s`, ...repo.id.split("/")].join("--");
}

/** Human-readable name for messages: `org/name` or `dataset org/name`. */
export function describeRepo(repo: RepoRef): string {
  return repo.type === "model" ? repo.id : `dataset ${repo.id}`;
}

export function resolveUrl(endpoint: string, repo: RepoRef, revision: string, file: string): string {
  const prefix = repo.type === "dataset" ? "datasets/" : "";
  const quotedFile = file.split("/").map(encodeURIComponent).join("/");
  return `${endpoint}/${prefix}${repo.id}/resolve/${encodeURIComponent(revision)}/${quotedFile}`;
}
