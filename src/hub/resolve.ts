/**
 * `resolveModelPath`: turn what a user typed (a local folder, or a Hub id such as
 * `naver/splade-cocondenser-ensembledistil`) into a local folder that holds the files a loader needs, as
 * sentence-transformers does. A folder is returned as is; an id is downloaded file by file into the cache
 * and its snapshot folder returned, so loaders treat both the same.
 *
 * All files come from one commit: the first answer fixes the commit and later files are requested at that
 * hash, so a branch updated mid-download cannot mix two versions (and once cached, the later files need no
 * request at all).
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { SpladeError, check } from "../util/errors.js";
import { resolveRepoFile } from "./download.js";
import { DEFAULT_REVISION, type HubOptions } from "./options.js";
import { assertRepoFilePath, describeRepo, isValidRepoId } from "./repo.js";

/** A file a loader needs (`"config.json"`), or may use when present (`{ file: "tokenizer.json", optional: true }`). */
export type FileRequest = string | { file: string; optional?: boolean };

export interface ResolveModelOptions extends HubOptions {
  files: readonly FileRequest[];
}

function normalize(request: FileRequest): { file: string; optional: boolean } {
  if (typeof request === "string") return { file: request, optional: false };
  return { file: request.file, optional: request.optional ?? false };
}

function looksLikeLocalPath(idOrPath: string): boolean {
  return isAbsolute(idOrPath) || /^(\.{1,2}|~)([/\\]|$)/.test(idOrPath) || idOrPath.includes("\\");
}

function checkLocalFolder(dir: string, files: Array<{ file: string; optional: boolean }>): string {
  if (!statSync(dir).isDirectory()) {
    const problem = "is a file; expected a model folder or a Hub repository id";
    throw new SpladeError("INVALID_ARGUMENT", `${dir} ${problem}`, { path: dir });
  }
  for (const { file, optional } of files) {
    const path = join(dir, ...file.split("/"));
    if (!optional && !existsSync(path)) throw new SpladeError("FILE_NOT_FOUND", `${dir}: missing '${file}'`, { path });
  }
  return dir;
}

/**
 * A local folder holding `options.files` (required ones guaranteed present, optional ones when the model has
 * them). `idOrPath` is an existing folder, or a Hub model id fetched through the cache (see downloadFile).
 */
export async function resolveModelPath(idOrPath: string, options: ResolveModelOptions): Promise<string> {
  const files = options.files.map(normalize);
  check(files.length > 0, "resolveModelPath needs at least one file to fetch");
  for (const { file } of files) assertRepoFilePath(file);
  if (existsSync(idOrPath)) return checkLocalFolder(idOrPath, files);
  if (looksLikeLocalPath(idOrPath) || !isValidRepoId(idOrPath)) {
    throw new SpladeError("FILE_NOT_FOUND", `${idOrPath}: no such folder, and not a Hugging Face repository id`, {
      path: idOrPath,
    });
  }

  let revision = options.revision ?? DEFAULT_REVISION;
  let snapshotDir: string | undefined;
  for (const { file, optional } of files) {
    const resolution = await resolveRepoFile(idOrPath, file, { ...options, revision, optional, repoType: "model" });
    if (resolution.commit !== undefined) revision = resolution.commit;
    snapshotDir ??= resolution.snapshotDir;
  }
  if (snapshotDir === undefined) {
    const wanted = files.map((f) => f.file).join(", ");
    throw new SpladeError("NOT_FOUND", `${describeRepo({ id: idOrPath, type: "model" })} has none of ${wanted}`);
  }
  mkdirSync(snapshotDir, { recursive: true });
  return snapshotDir;
}
