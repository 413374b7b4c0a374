/**
 * Where benchmarks find the project's shared folder: `../shared` next to the repository root (see
 * ../shared/README.md), resolved from this file rather than the working directory.
 */
import { fileURLToPath } from "node:url";

/** The repository root (the folder holding bench/). */
export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** `../shared` from the repository root, or `$SPLADE_SHARED` when set. */
export const SHARED = process.env.SPLADE_SHARED ?? fileURLToPath(new URL("../../shared/", import.meta.url));
