/** Test helper: the train3 golden (test/fixtures/tiny-distilbert-splade.train3.json) and its model folder. */
import { readFileSync } from "node:fs";
import type { TrainingRow } from "../../src/train/data/rows.js";

export const MODEL_DIR = "test/fixtures/tiny-distilbert-splade";
export const TRAIN3_PATH = "test/fixtures/tiny-distilbert-splade.train3.json";

export interface Train3Step {
  step: number;
  lr: number;
  lambda_document: number;
  lambda_query: number;
  loss: number;
  base_loss: number;
  document_regularizer_loss: number;
  query_regularizer_loss: number;
  grad_norm_before_clip: number;
  grad_l2_per_param_after_clip?: Record<string, number>;
  grad_after_clip?: Record<string, number[]>;
  param_l2_after_step: Record<string, number>;
  param_sum_after_step: Record<string, number>;
}

export interface Train3 {
  hyperparameters: {
    lr: number;
    betas: [number, number];
    eps: number;
    weight_decay: number;
    max_grad_norm: number;
    total_steps: number;
    warmup_steps: number;
    lambda_document: number;
    lambda_query: number;
    regularizer_warmup_steps: number;
    regularizer_schedule: "quadratic" | "linear";
    max_seq_length: number;
  };
  dropout: boolean;
  batches: Array<Array<{ query: string; positive: string; negative: string }>>;
  steps: Train3Step[];
}

export function readTrain3(): Train3 {
  return JSON.parse(readFileSync(TRAIN3_PATH, "utf8")) as Train3;
}

export function train3Rows(fx: Train3, batch: number): TrainingRow[] {
  return fx.batches[batch].map((r) => ({ query: r.query, positive: r.positive, negatives: [r.negative] }));
}
