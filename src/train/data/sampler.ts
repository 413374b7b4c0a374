/**
 * Batch samplers: which rows form each batch of an epoch.
 *
 * No-duplicates (sentence-transformers sampler.py `NoDuplicatesBatchSampler`, the seed card's
 * `batch_sampler: no_duplicates`): rows are visited in a seeded random order; a batch takes the next rows
 * whose texts (query, positive, negatives) share no text with the rows already in the batch — a duplicate
 * text would be an in-batch negative equal to a positive. Skipped rows stay for later batches. A batch that
 * cannot be filled from the remaining rows is emitted short (drop_last = False). The permutation is seeded
 * with seed + epoch, as upstream re-seeds per epoch (our generator is not torch's, so orders differ).
 *
 * Sequential (`--no-shuffle`): consecutive rows in file order, batch_size at a time.
 */
import { Rng } from "../../util/rng.js";
import type { TrainingRow } from "./rows.js";

function rowTexts(row: TrainingRow): string[] {
  return [row.query, row.positive, ...row.negatives];
}

export function sequentialBatches(rowCount: number, batchSize: number): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < rowCount; start += batchSize) {
    batches.push(Array.from({ length: Math.min(batchSize, rowCount - start) }, (_, i) => start + i));
  }
  return batches;
}

export function noDuplicatesBatches(rows: readonly TrainingRow[], batchSize: number, seed: number): number[][] {
  const order = new Rng(seed).shuffle(Array.from({ length: rows.length }, (_, i) => i));
  // Remaining rows in visiting order, as a linked list so that removal is O(1) and order is kept.
  const next = new Int32Array(order.length + 1).fill(-1);
  const head = order.length; // sentinel index
  let prev = head;
  for (let k = 0; k < order.length; k++) {
    next[prev] = k;
    prev = k;
  }
  const batches: number[][] = [];
  while (next[head] !== -1) {
    const seen = new Set<string>();
    const batch: number[] = [];
    let before = head;
    for (let k = next[head]; k !== -1 && batch.length < batchSize; ) {
      const texts = rowTexts(rows[order[k]]);
      if (texts.some((t) => seen.has(t))) {
        before = k;
        k = next[k];
        continue;
      }
      batch.push(order[k]);
      for (const t of texts) seen.add(t);
      next[before] = next[k]; // unlink k
      k = next[k];
    }
    batches.push(batch);
  }
  return batches;
}

export interface EpochBatchOptions {
  batchSize: number;
  shuffle: boolean;
  seed: number;
}

/** The batches of epoch `epoch` (0-based). */
export function epochBatches(rows: readonly TrainingRow[], epoch: number, o: EpochBatchOptions): number[][] {
  return o.shuffle ? noDuplicatesBatches(rows, o.batchSize, o.seed + epoch) : sequentialBatches(rows.length, o.batchSize);
}
