/**
 * Checkpoint weights by their Hugging Face key (`distilbert.transformer.layer.0.attention.q_lin.weight`,
 * `cls.predictions.bias`, …), as float32 with the shape the graph expects. The graph code asks for a key and
 * a shape; this file finds the tensor, checks the shape and widens F16/BF16 (the TensorStore does the
 * widening, whatever the file format: see tensor-store.ts and checkpoint.ts). Keys the graph never asks for (`bert.pooler.*`, a redundant tied decoder copy) are ignored.
 *
 * Key resolution follows transformers' `from_pretrained`: a checkpoint saved from the bare encoder
 * (`BertModel`) stores keys without the base-model prefix (`encoder.layer.0…` instead of `bert.encoder…`),
 * so a missing `bert.x` falls back to `x`; tied aliases (below) are the other fallback.
 */
import { basename } from "node:path";
import { readSafetensors } from "../safetensors/index.js";
import { SpladeError } from "../util/errors.js";
import { openCheckpoint } from "./checkpoint.js";
import type { CheckpointFormat, TensorStore } from "./tensor-store.js";

/** transformers `base_model_prefix` of the architectures we build. */
const BASE_PREFIXES = ["distilbert.", "bert."];

/**
 * BertLMPredictionHead ties `decoder.bias` to `bias` (modeling_bert.py `_tie_weights`); checkpoints may
 * store either name.
 */
const ALIASES: Record<string, string> = { "cls.predictions.bias": "cls.predictions.decoder.bias" };

/** Weights by checkpoint key and expected shape, as float32 (a checkpoint, or random weights for benchmarks). */
export interface WeightSource {
  get(key: string, shape: readonly number[]): Float32Array;
}

export class CheckpointWeights implements WeightSource {
  constructor(
    /** The tensors as stored (names as in the file). */
    readonly file: TensorStore,
    readonly format: CheckpointFormat = "safetensors",
  ) {}

  /** Opens one safetensors file (the header is validated now; tensors are read on demand). */
  static open(path: string): CheckpointWeights {
    return new CheckpointWeights(readSafetensors(path));
  }

  /** Opens the weights of a module folder in whichever format it has (see checkpoint.ts). */
  static async openFolder(dir: string): Promise<CheckpointWeights> {
    const { store, format } = await openCheckpoint(dir);
    return new CheckpointWeights(store, format);
  }

  get path(): string {
    return this.file.path;
  }

  /** The stored key for `key` (after the base-prefix fallback), or undefined. */
  resolve(key: string): string | undefined {
    if (this.file.has(key)) return key;
    const prefix = BASE_PREFIXES.find((p) => key.startsWith(p));
    if (prefix !== undefined && this.file.has(key.slice(prefix.length))) return key.slice(prefix.length);
    const alias = ALIASES[key];
    return alias !== undefined && this.file.has(alias) ? alias : undefined;
  }

  has(key: string): boolean {
    return this.resolve(key) !== undefined;
  }

  /** The tensor `key` as float32; INVALID_FILE when it is missing or its shape is not `shape`. */
  get(key: string, shape: readonly number[]): Float32Array {
    return this.file.float32(this.check(key, shape));
  }

  /** Checks that `key` exists with `shape` without reading its data; returns the stored name. */
  check(key: string, shape: readonly number[]): string {
    const stored = this.resolve(key);
    if (stored === undefined) {
      throw new SpladeError("INVALID_FILE", `${this.path}: missing tensor '${key}' (${basename(this.path)} has ${this.file.names().length} tensors)`, {
        path: this.path,
      });
    }
    const actual = this.file.info(stored).shape;
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new SpladeError(
        "INVALID_FILE",
        `${this.path}: tensor '${stored}' has shape [${actual.join(", ")}], expected [${shape.join(", ")}] from config.json`,
        { path: this.path },
      );
    }
    return stored;
  }
}

/** A WeightSource that only checks keys and shapes (empty arrays): building a graph with it validates a checkpoint. */
export function shapeChecker(weights: CheckpointWeights): WeightSource {
  return {
    get: (key, shape) => {
      weights.check(key, shape);
      return new Float32Array(0);
    },
  };
}
