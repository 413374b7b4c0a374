/**
 * Sharded checkpoints: `model.safetensors.index.json` (or `pytorch_model.bin.index.json`), as transformers
 * writes them (`{"metadata": {"total_size": …}, "weight_map": {tensor name: shard file}}`), read as one
 * TensorStore. Every shard named by the map must exist next to the index (a missing one is FILE_NOT_FOUND
 * naming the shard and the index), and every mapped tensor must be in its shard. Tensors are read from their
 * shard on demand. Source: transformers `modeling_utils.py` (`load_sharded_checkpoint`, `get_checkpoint_shard_files`).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { SpladeError } from "../util/errors.js";
import { readJsonFile } from "../util/text-file.js";
import type { TensorMeta, TensorStore } from "./tensor-store.js";

function invalid(path: string, problem: string): never {
  throw new SpladeError("INVALID_FILE", `${path}: ${problem}`, { path });
}

/** A shard file name as it may appear in an index: relative, inside the folder. */
function isSafeShardName(name: string): boolean {
  return name !== "" && !name.includes("\\") && name.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** The index file's weight map (tensor → shard), validated. */
export function readShardIndex(indexPath: string): Map<string, string> {
  const json = readJsonFile(indexPath) as { weight_map?: unknown } | null;
  if (typeof json !== "object" || json === null || Array.isArray(json)) invalid(indexPath, "expected a JSON object");
  const map = json.weight_map;
  if (typeof map !== "object" || map === null || Array.isArray(map)) invalid(indexPath, `"weight_map" must be an object {tensor: shard file}`);
  const weightMap = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(map)) {
    if (typeof shard !== "string" || !isSafeShardName(shard)) invalid(indexPath, `weight_map entry '${tensor}' is not a shard file name in this folder: ${JSON.stringify(shard)}`);
    weightMap.set(tensor, shard);
  }
  if (weightMap.size === 0) invalid(indexPath, "weight_map is empty");
  return weightMap;
}

/** The distinct shard files an index names, in first-use order (what a downloader must fetch). */
export function shardFiles(indexPath: string): string[] {
  return [...new Set(readShardIndex(indexPath).values())];
}

export class ShardedTensorStore implements TensorStore {
  private constructor(
    readonly path: string,
    private readonly weightMap: Map<string, string>,
    private readonly shards: Map<string, TensorStore>,
  ) {}

  /** Opens the index at `indexPath` and every shard it names with `openShard`. */
  static async open(indexPath: string, openShard: (path: string) => TensorStore | Promise<TensorStore>): Promise<ShardedTensorStore> {
    const weightMap = readShardIndex(indexPath);
    const shards = new Map<string, TensorStore>();
    for (const shard of new Set(weightMap.values())) {
      const shardPath = join(dirname(indexPath), ...shard.split("/"));
      if (!existsSync(shardPath)) {
        throw new SpladeError("FILE_NOT_FOUND", `${shardPath}: no such file (shard named by ${indexPath})`, { path: shardPath });
      }
      shards.set(shard, await openShard(shardPath));
    }
    for (const [tensor, shard] of weightMap) {
      const store = shards.get(shard)!;
      if (!store.has(tensor)) invalid(store.path, `has no tensor '${tensor}', which ${indexPath} maps to it`);
    }
    return new ShardedTensorStore(indexPath, weightMap, shards);
  }

  names(): string[] {
    return [...this.weightMap.keys()];
  }

  has(name: string): boolean {
    return this.weightMap.has(name);
  }

  private shardOf(name: string): TensorStore {
    const shard = this.weightMap.get(name);
    if (shard === undefined) throw new SpladeError("NOT_FOUND", `${this.path}: no tensor named '${name}'`, { path: this.path });
    return this.shards.get(shard)!;
  }

  info(name: string): TensorMeta {
    return this.shardOf(name).info(name);
  }

  float32(name: string): Float32Array {
    return this.shardOf(name).float32(name);
  }
}
