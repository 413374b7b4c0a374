/**
 * The safetensors element types and their sizes, in the order the reference implementation declares them.
 * That order matters: `safetensors` (Rust, which Python's `save_file` calls) sorts tensors by dtype in
 * *descending* declaration order, then by name, so that every tensor's data is aligned to its element size.
 *
 * Source: huggingface/safetensors `safetensors/src/tensor.rs` (`enum Dtype`, `Dtype::size`, `prepare`).
 */

/** Declared in increasing alignment order, exactly as upstream's `enum Dtype`. */
export const SAFETENSORS_DTYPES = [
  "BOOL",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "F64",
  "I64",
  "U64",
] as const;

export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

const DTYPE_SIZE_BYTES: Record<SafetensorsDtype, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === "string" && Object.hasOwn(DTYPE_SIZE_BYTES, value);
}

export function dtypeSizeBytes(dtype: SafetensorsDtype): number {
  return DTYPE_SIZE_BYTES[dtype];
}

/** Position in upstream's declaration order; the writer sorts by it, descending. */
export function dtypeRank(dtype: SafetensorsDtype): number {
  return SAFETENSORS_DTYPES.indexOf(dtype);
}
