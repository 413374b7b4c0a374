/**
 * Whole-folder atomicity for checkpoints: a folder is staged under a temporary name next to its target and
 * renamed into place, so a reader (or a resumed run) sees either the previous folder or the complete new one.
 * Replacing an existing folder takes two renames (old aside, new in) and a removal; a crash between them
 * leaves the old folder under `.<name>.old-*`, never a half-written one under the real name.
 * `publishInto` moves the staged entries of a folder into a live folder (the output root, which also holds
 * checkpoint-N/ and logs) one rename per entry.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

function sibling(target: string, tag: string): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** Runs `write(stagingDir)`, then renames the staged folder to `target` (replacing it). */
export function writeDirAtomic(target: string, write: (stagingDir: string) => void): void {
  mkdirSync(dirname(target), { recursive: true });
  const staging = sibling(target, "tmp");
  mkdirSync(staging);
  try {
    write(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(target)) {
    const old = sibling(target, "old");
    renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(staging, target);
  }
}

/** Stages with `write`, then moves each staged entry into `target` (replacing same-named entries). */
export function publishInto(target: string, write: (stagingDir: string) => void): void {
  mkdirSync(target, { recursive: true });
  const staging = sibling(join(target, "model"), "tmp");
  mkdirSync(staging);
  try {
    write(staging);
    for (const entry of readdirSync(staging)) {
      const destination = join(target, entry);
      // A file is replaced atomically by rename; a folder must be moved aside first.
      if (existsSync(destination) && statSync(destination).isDirectory()) removeAside(destination);
      renameSync(join(staging, entry), destination);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function removeAside(path: string): void {
  const old = sibling(path, "old");
  renameSync(path, old);
  rmSync(old, { recursive: true, force: true });
}
