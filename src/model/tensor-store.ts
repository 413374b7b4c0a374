/**
 * TensorStore: the tensors of a checkpoint by name, whatever file format holds them — one safetensors file,
 * shards listed by an index file (sharded.ts), or a PyTorch `pytorch_model.bin` (src/pytorch/). The graph code
 * reads weights through model/weights.ts, which asks a TensorStore; nothing above this file knows the format.
 */

/** Element types as safetensors spells them (PyTorch storages are mapped onto these names). */
export type TensorDtype = "BOOL" | "U8" | "I8" | "I16" | "U16" | "F16" | "BF16" | "I32" | "U32" | "F32" | "F64" | "I64" | "U64" | "F8_E5M2" | "F8_E4M3";

export interface TensorMeta {
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** How the weights of a module folder are stored. */
export type CheckpointFormat = "safetensors" | "safetensors-sharded" | "pytorch" | "pytorch-sharded";

export interface TensorStore {
  /** The file the tensors come from (for a sharded checkpoint: its index file), for messages. */
  readonly path: string;
  /** Tensor names in file order. */
  names(): string[];
  has(name: string): boolean;
  /** dtype and shape; NOT_FOUND for an unknown name. */
  info(name: string): TensorMeta;
  /** The tensor as float32, row-major (F32 as stored, F16/BF16 widened exactly). */
  float32(name: string): Float32Array;
}
