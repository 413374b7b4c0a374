/**
 * Finding and opening the weights of a module folder, in transformers' order of preference
 * (`modeling_utils.py`, and sentence-transformers' `Module.load_torch_weights`): `model.safetensors`, then
 * `model.safetensors.index.json` (shards), then `pytorch_model.bin`, then `pytorch_model.bin.index.json`.
 * None of them → FILE_NOT_FOUND naming the folder and the four names.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TorchCheckpoint } from "../pytorch/index.js";
import { readSafetensors } from "../safetensors/index.js";
import { SpladeError } from "../util/errors.js";
import { ShardedTensorStore } from "./sharded.js";
import type { CheckpointFormat, TensorStore } from "./tensor-store.js";

/** The weight files a folder may hold, most preferred first. */
export const WEIGHT_FILES: ReadonlyArray<{ file: string; format: CheckpointFormat }> = [
  { file: "model.safetensors", format: "safetensors" },
  { file: "model.safetensors.index.json", format: "safetensors-sharded" },
  { file: "pytorch_model.bin", format: "pytorch" },
  { file: "pytorch_model.bin.index.json", format: "pytorch-sharded" },
];

export interface OpenedCheckpoint {
  store: TensorStore;
  format: CheckpointFormat;
}

/** The weight file of `dir` that would be read, or undefined when there is none. */
export function findWeights(dir: string): { file: string; format: CheckpointFormat } | undefined {
  return WEIGHT_FILES.find(({ file }) => existsSync(join(dir, file)));
}

/** Opens the weights of the folder `dir` (see the header for which file). */
export async function openCheckpoint(dir: string): Promise<OpenedCheckpoint> {
  const found = findWeights(dir);
  if (found === undefined) {
    const names = WEIGHT_FILES.map((w) => w.file).join(", ");
    throw new SpladeError("FILE_NOT_FOUND", `${dir}: no weights (looked for ${names})`, { path: dir });
  }
  const path = join(dir, found.file);
  switch (found.format) {
    case "safetensors":
      return { store: readSafetensors(path), format: found.format };
    case "safetensors-sharded":
      return { store: await ShardedTensorStore.open(path, readSafetensors), format: found.format };
    case "pytorch":
      return { store: await TorchCheckpoint.open(path), format: found.format };
    case "pytorch-sharded":
      return { store: await ShardedTensorStore.open(path, TorchCheckpoint.open), format: found.format };
  }
}
