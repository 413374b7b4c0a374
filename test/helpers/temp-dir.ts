// Temporary folders for tests, removed when the test process exits (each test file runs in its own
// process), so a run leaves nothing behind in the system's temporary folder.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made = new Set<string>();

process.once("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temporary folder, named `prefix` + random suffix. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** A copy of folder `source` as `model` in a fresh temporary folder, for tests that edit a model's files. */
export function copiedFolder(source: string): string {
  const dir = join(tempDir("splade-model-"), "model");
  cpSync(source, dir, { recursive: true });
  return dir;
}
