/**
 * Encoder defaults, in one place, with where each comes from.
 */

/** sentence-transformers SparseEncoder.encode(batch_size=32). */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * Most tokens (rows × padded length) one onnxruntime run may hold. Max pooling multiplies every token's
 * features by the vocabulary matrix before reducing over tokens, a [rows, T, V] float32 intermediate:
 * 4,096 tokens × 30,522 × 4 bytes ≈ 500 MB. Larger batches are split into runs; results do not change.
 */
export const MAX_TOKENS_PER_RUN = 4096;

/** Kernels of the inference graph (see model/context.ts): onnxruntime's fused contrib ops. */
export const DEFAULT_KERNELS = "fused" as const;
