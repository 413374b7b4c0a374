/**
 * Batching as sentence-transformers does it (SentenceTransformer.encode): texts sorted by length, longest
 * first (`np.argsort([-len(text) …])`, a stable sort here), cut into batches of `batchSize`; each batch is
 * padded to its longest sequence (the tokenizer's encodeBatch) and results go back in input order. Padding
 * never changes results, only the work done.
 *
 * Shapes: B batch, T tokens (the batch's longest sequence).
 */

/** Input positions grouped into batches, longest first; ties keep input order. */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}

/** Padded token ids, as the tokenizer's encodeBatch returns them. */
export interface TokenBatch {
  /** int64 [B, T] */
  inputIds: BigInt64Array;
  /** int64 [B, T]: 1 for tokens, 0 for padding. */
  attentionMask: BigInt64Array;
  batchSize: number;
  seqLen: number;
}

/** Rows [start, end) of a batch, without copying (rows are contiguous in row-major [B, T]). */
export function sliceRows(batch: TokenBatch, start: number, end: number): TokenBatch {
  const T = batch.seqLen;
  return {
    inputIds: batch.inputIds.subarray(start * T, end * T),
    attentionMask: batch.attentionMask.subarray(start * T, end * T),
    batchSize: end - start,
    seqLen: T,
  };
}
