/**
 * checkpoint-N/ folders (HF Trainer's layout, our file formats): a complete SparseEncoder model folder
 * (model-folder.ts) plus what resuming needs —
 *   optimizer.safetensors   Adam moments: "m/{param}", "v/{param}" (F32)
 *   trainer_state.json      step, data-stream position, best metric, log and evaluation history, and the
 *                           settings a resumed run must share (seed, batch size, …)
 * Written as one atomic folder (atomic-dir.ts). `rotateCheckpoints` applies save_total_limit, never deleting
 * the best checkpoint (HF `_sorted_checkpoints` keeps the best model too).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readSafetensors, writeSafetensors, type TensorToWrite } from "../../safetensors/index.js";
import { SpladeError } from "../../util/errors.js";
import type { TrainingModelSource } from "../model-source.js";
import type { ParamInfo } from "../step-graph.js";
import { writeDirAtomic } from "./atomic-dir.js";
import { writeModelFolder } from "./model-folder.js";
import { writeFileAtomicSync } from "../../util/atomic-write.js";

export const TRAINER_STATE_FILE = "trainer_state.json";
export const OPTIMIZER_FILE = "optimizer.safetensors";

export interface StepLogRecord {
  step: number;
  epoch: number;
  lr: number;
  loss: number;
  base_loss: number;
  document_regularizer_loss: number;
  query_regularizer_loss: number;
  grad_norm: number;
  lambda_document: number;
  lambda_query: number;
}

export interface EvalRecord {
  step: number;
  epoch: number;
  metrics: Record<string, number>;
}

export interface TrainerState {
  format: "splade-ts-trainer-state";
  version: 1;
  global_step: number;
  total_steps: number;
  /** Position in the stream of micro-batches: epoch index and micro-batches consumed in it. */
  epoch: number;
  batch_in_epoch: number;
  best_metric: number | null;
  best_step: number | null;
  /** Every optimizer step's record (the --log lines). */
  steps: StepLogRecord[];
  evaluations: EvalRecord[];
  /** Settings that must match when resuming. */
  settings: Record<string, unknown>;
}

export function checkpointName(step: number): string {
  return `checkpoint-${step}`;
}

export interface SaveCheckpointOptions {
  source: TrainingModelSource;
  params: ParamInfo[];
  values: ReadonlyMap<string, Float32Array>;
  m: ReadonlyMap<string, Float32Array>;
  v: ReadonlyMap<string, Float32Array>;
  state: TrainerState;
}

export function saveTrainerCheckpoint(dir: string, o: SaveCheckpointOptions): void {
  writeDirAtomic(dir, (staging) => {
    writeModelFolder(staging, { source: o.source, params: o.values });
    const moments: TensorToWrite[] = o.params.flatMap((p) => [
      { name: `m/${p.name}`, dtype: "F32" as const, shape: p.shape, data: o.m.get(p.name)! },
      { name: `v/${p.name}`, dtype: "F32" as const, shape: p.shape, data: o.v.get(p.name)! },
    ]);
    writeSafetensors(join(staging, OPTIMIZER_FILE), moments, { format: "splade-ts-adamw" });
    writeFileAtomicSync(join(staging, TRAINER_STATE_FILE), JSON.stringify(o.state, null, 2) + "\n");
  });
}

export interface LoadedCheckpoint {
  state: TrainerState;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

/** Reads trainer_state.json and the Adam moments of `dir` (the weights are read as a model folder). */
export function loadTrainerCheckpoint(dir: string): LoadedCheckpoint {
  const statePath = join(dir, TRAINER_STATE_FILE);
  if (!existsSync(statePath)) throw new SpladeError("FILE_NOT_FOUND", `${dir}: no ${TRAINER_STATE_FILE} (not a training checkpoint)`, { path: statePath });
  let state: TrainerState;
  try {
    state = JSON.parse(readFileSync(statePath, "utf8")) as TrainerState;
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${statePath}: not valid JSON`, { path: statePath, cause });
  }
  if (state.format !== "splade-ts-trainer-state" || state.version !== 1) {
    throw new SpladeError("INVALID_FILE", `${statePath}: unknown trainer state format`, { path: statePath });
  }
  const file = readSafetensors(join(dir, OPTIMIZER_FILE));
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const name of file.names()) {
    if (name.startsWith("m/")) m.set(name.slice(2), file.float32(name));
    else if (name.startsWith("v/")) v.set(name.slice(2), file.float32(name));
  }
  return { state, m, v };
}

/** checkpoint-N folders of `outputDir`, by ascending N. */
export function listCheckpoints(outputDir: string): Array<{ step: number; dir: string }> {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir)
    .map((name) => ({ name, m: /^checkpoint-(\d+)$/.exec(name) }))
    .filter((e) => e.m !== null)
    .map((e) => ({ step: Number(e.m![1]), dir: join(outputDir, e.name) }))
    .sort((a, b) => a.step - b.step);
}

/** Deletes the oldest checkpoints beyond `limit`, keeping `keepStep` (the best). */
export function rotateCheckpoints(outputDir: string, limit: number | undefined, keepStep: number | null): void {
  if (limit === undefined) return;
  const all = listCheckpoints(outputDir);
  let excess = all.length - Math.max(limit, 1);
  for (const c of all) {
    if (excess <= 0) break;
    if (c.step === keepStep) continue;
    rmSync(c.dir, { recursive: true, force: true });
    excess--;
  }
}
