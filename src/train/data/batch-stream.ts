/**
 * The stream of micro-batches a run consumes: epoch 0's batches, then epoch 1's, … (each epoch re-sampled
 * with seed + epoch). Its position (epoch, batches consumed in it) is saved in checkpoints, and because every
 * epoch's batches are a pure function of the rows and the seed, a resumed run continues with exactly the
 * batches the uninterrupted run would have used.
 */
import { epochBatches, type EpochBatchOptions } from "./sampler.js";
import type { TrainingRow } from "./rows.js";

export interface StreamPosition {
  epoch: number;
  batchInEpoch: number;
}

export class BatchStream {
  private batches: number[][];

  constructor(
    private readonly rows: readonly TrainingRow[],
    private readonly options: EpochBatchOptions,
    private position: StreamPosition = { epoch: 0, batchInEpoch: 0 },
  ) {
    this.batches = epochBatches(rows, position.epoch, options);
  }

  get current(): StreamPosition {
    return { ...this.position };
  }

  /** The rows of the next micro-batch. */
  next(): TrainingRow[] {
    while (this.position.batchInEpoch >= this.batches.length) {
      this.position = { epoch: this.position.epoch + 1, batchInEpoch: 0 };
      this.batches = epochBatches(this.rows, this.position.epoch, this.options);
    }
    const batch = this.batches[this.position.batchInEpoch];
    this.position = { ...this.position, batchInEpoch: this.position.batchInEpoch + 1 };
    return batch.map((i) => this.rows[i]);
  }

  /** Fractional epochs consumed (for logs, as HF's `epoch`). */
  epochProgress(): number {
    return this.position.epoch + this.position.batchInEpoch / Math.max(1, this.batches.length);
  }
}
