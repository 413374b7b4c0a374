/**
 * The push checkpoint: a small JSON file, replaced atomically (util/atomic-write.ts) after every batch the
 * engine acknowledged, that records how many source documents are done (acknowledged or refused for good).
 * A push killed at any moment leaves the checkpoint of its last finished batch; the re-run skips exactly
 * that many documents of the same source and sends the rest. A batch acknowledged but not yet recorded is
 * sent again, which the engines absorb because a document's id is its key (engine.ts). The checkpoint
 * names the engine, the URL (without credentials), the target and a fingerprint of the source, so that it
 * is never applied to another push. It is deleted when the push completes.
 */
import { readFileSync, rmSync } from "node:fs";
import { SpladeError } from "../util/errors.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { ItemFailure } from "./engine.js";

export const CHECKPOINT_FORMAT = "splade-ts-push-checkpoint";
/** Refused items kept in the checkpoint (their total is always counted). */
export const MAX_RECORDED_FAILURES = 1000;

export interface PushIdentity {
  readonly engine: string;
  readonly url: string;
  readonly target: string;
  readonly source: string;
}

export interface PushCheckpoint extends PushIdentity {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Source documents done, in source order. */
  readonly done: number;
  readonly acknowledged: number;
  readonly failedCount: number;
  readonly failed: readonly Omit<ItemFailure, "transient">[];
  readonly batches: number;
}

export function readCheckpoint(path: string, identity: PushIdentity): PushCheckpoint | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new SpladeError("INVALID_FILE", `${path}: cannot read the push checkpoint (${(error as Error).message})`, { path, cause: error });
  }
  let c: PushCheckpoint;
  try {
    c = JSON.parse(text);
  } catch (error) {
    throw new SpladeError("INVALID_FILE", `${path}: the push checkpoint is not valid JSON; delete it to start over`, { path, cause: error });
  }
  if (c?.format !== CHECKPOINT_FORMAT || !Number.isInteger(c.done) || c.done < 0 || !Number.isInteger(c.acknowledged)) {
    throw new SpladeError("INVALID_FILE", `${path}: not a splade-ts push checkpoint`, { path });
  }
  for (const field of ["engine", "url", "target", "source"] as const) {
    if (c[field] !== identity[field]) {
      throw new SpladeError("CONFLICT", `${path} is the checkpoint of another push (its ${field} is ${JSON.stringify(c[field])}, this push's is ${JSON.stringify(identity[field])}); delete it or pass another --checkpoint`, { path });
    }
  }
  return c;
}

export function writeCheckpoint(path: string, checkpoint: PushCheckpoint): void {
  writeFileAtomicSync(path, JSON.stringify(checkpoint) + "\n");
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
