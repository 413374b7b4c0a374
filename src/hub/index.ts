/**
 * Hugging Face Hub client (the library's only network code): downloads into the cache layout shared with
 * Python's huggingface_hub, offline mode, tokens, and options from the environment (for the CLI).
 */
export { downloadFile, type DownloadOptions } from "./download.js";
export {
  DEFAULT_ENDPOINT,
  DEFAULT_REVISION,
  defaultCacheDir,
  hubOptionsFromEnv,
  type HubOptions,
  type HubProgress,
} from "./options.js";
export { isValidRepoId, repoFolderName, type RepoRef, type RepoType } from "./repo.js";
export { resolveModelPath, type FileRequest, type ResolveModelOptions } from "./resolve.js";
