/** Test helper: the train3 golden (test/fixtures/tiny-distilbert-splade.train3.json) and its model folder. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

/**
 * A tiny BEIR folder at `dir` from the train3 fixture's texts, for the CLI's mine / train / evaluate tests: every
 * distinct positive and negative is a document (d0…, empty title), every row's query a query (q0…) judged
 * relevant to its positive in qrels/train.tsv, and the first `devQueries` judgements also in qrels/dev.tsv.
 * Returns the rows and the documents in id order.
 */
export function writeTrain3Beir(dir: string, devQueries = 0): { rows: Train3["batches"][number]; docs: string[] } {
  const rows = readTrain3().batches.flat();
  const docs = [...new Set(rows.flatMap((r) => [r.positive, r.negative]))];
  const qrels = ["query-id\tcorpus-id\tscore", ...rows.map((r, i) => `q${i}\td${docs.indexOf(r.positive)}\t1`)];
  mkdirSync(join(dir, "qrels"), { recursive: true });
  writeFileSync(join(dir, "corpus.jsonl"), docs.map((text, i) => JSON.stringify({ _id: `d${i}`, title: "", text })).join("\n") + "\n");
  writeFileSync(join(dir, "queries.jsonl"), rows.map((r, i) => JSON.stringify({ _id: `q${i}`, text: r.query })).join("\n") + "\n");
  writeFileSync(join(dir, "qrels", "train.tsv"), qrels.join("\n") + "\n");
  if (devQueries > 0) writeFileSync(join(dir, "qrels", "dev.tsv"), qrels.slice(0, 1 + devQueries).join("\n") + "\n");
  return { rows, docs };
}
