/**
 * Batching as sentence-transformers does it (SentenceTransformer.encode): texts are sorted by length,
 * longest first (`np.argsort([-len(text) …])`), cut into batches of `batchSize`, padded to each batch's
 * longest sequence, and the results put back in input order. Sorting by token count instead of character
 * count (what we have once texts are tokenized) keeps padding minimal; results do not depend on it.
 *
 * Shapes: B batch, T tokens (the batch's longest sequence).
 */

/** Input positions grouped into batches, longest sequences first; ties keep input order. */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}

export interface PaddedBatch {
  /** int64 [B, T], padded with `padId`. */
  inputIds: BigInt64Array;
  /** int64 [B, T]: 1 for tokens, 0 for padding. */
  attentionMask: BigInt64Array;
  batchSize: number;
  seqLen: number;
}

/** Pads token id sequences to the longest one (right padding, as Hugging Face tokenizers do). */
export function padBatch(sequences: readonly (readonly number[])[], padId = 0): PaddedBatch {
  const seqLen = Math.max(1, ...sequences.map((s) => s.length));
  const inputIds = new BigInt64Array(sequences.length * seqLen).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(sequences.length * seqLen);
  sequences.forEach((ids, b) => {
    for (let t = 0; t < ids.length; t++) {
      inputIds[b * seqLen + t] = BigInt(ids[t]);
      attentionMask[b * seqLen + t] = 1n;
    }
  });
  return { inputIds, attentionMask, batchSize: sequences.length, seqLen };
}
