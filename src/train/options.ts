/**
 * Training options and their defaults, in one place. Sources: HF transformers `TrainingArguments`
 * (optimizer, schedule, clipping, logging/eval/save cadence, seed), sentence-transformers
 * `SparseEncoderTrainingArguments`, `SpladeLoss`, `SparseMultipleNegativesRankingLoss` and
 * `SpladeRegularizerWeightSchedulerCallback`; where this project's CLI default differs from upstream's
 * (batch size 16, lr 2e-5, warm-up ratio 0.1, λ 1e-3 / 5e-5 — the seed card's recipe), it says so.
 */
import type { LearningRateMapping } from "./optimizer/lr-mapping.js";
import type { RouterMapping } from "./routing.js";
import type { RegularizerSchedule } from "./schedules.js";
import { DEFAULT_REGULARIZER_WARMUP_RATIO } from "./schedules.js";

export type LossKind = "mnrl" | "margin-mse";

export interface TrainingOptions {
  /** HF num_train_epochs (default 3 upstream; the seed card trained 1). */
  epochs: number;
  /** HF max_steps: when > 0, overrides epochs. */
  maxSteps: number;
  /** Rows per micro-batch (HF per_device_train_batch_size 8; seed card 16). */
  batchSize: number;
  /** HF gradient_accumulation_steps (1). */
  gradientAccumulationSteps: number;
  /** HF learning_rate (5e-5 upstream; seed card 2e-5). */
  lr: number;
  /** HF warmup_ratio (0 upstream; seed card 0.1), used when warmupSteps is 0. */
  warmupRatio: number;
  /** HF warmup_steps (0): when > 0 it replaces the ratio; no warm-up at all is warmupSteps 0 with warmupRatio 0 (the CLI's --warmup-steps 0). */
  warmupSteps: number;
  /** HF adam_beta1/2, adam_epsilon, weight_decay, max_grad_norm. */
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maxGradNorm: number;
  /** SpladeLoss weights (seed card: 1e-3 documents, 5e-5 queries); null query weight disables it. */
  lambdaDocument: number;
  lambdaQuery: number | null;
  documentRegularizerThreshold?: number;
  queryRegularizerThreshold?: number;
  useDocumentRegularizerOnly: boolean;
  /** SpladeRegularizerWeightSchedulerCallback: warm-up ratio 1/3 (or explicit steps), quadratic. */
  regularizerWarmupRatio: number;
  regularizerWarmupSteps?: number;
  regularizerSchedule: RegularizerSchedule;
  loss: LossKind;
  /** SparseMultipleNegativesRankingLoss scale (1.0). */
  mnrlScale: number;
  /** Random no-duplicates batches (true) or file order (false). */
  shuffle: boolean;
  /** Training-mode dropout with the config.json probabilities (model.train()). */
  dropout: boolean;
  /** HF seed (42). */
  seed: number;
  /** HF eval_steps / logging_steps / save_steps (500; logging 500 upstream, seed card 100). */
  evalSteps: number;
  loggingSteps: number;
  saveSteps: number;
  /** HF save_total_limit (none): at most this many checkpoint-N folders, the best one always kept. */
  saveTotalLimit?: number;
  /** Truncation; default from the model's sentence_bert_config.json. */
  maxSeqLength?: number;
  /** The evaluator metric that picks the best checkpoint (default: the evaluator's primary metric). */
  metricForBestModel?: string;
  /** HF load_best_model_at_end (true with an evaluator, as in the seed card). */
  loadBestModelAtEnd: boolean;
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /** Upstream `router_mapping`: training column → Router route (required for Router models; none upstream). */
  routerMapping?: RouterMapping;
  /** Upstream `learning_rate_mapping`: parameter-name pattern → learning rate (none upstream). */
  learningRateMapping?: LearningRateMapping;
  /**
   * Keep a trained SparseStaticEmbedding weight ≥ 0 (projection after each update; see step-graph.ts). Not an
   * upstream setting: upstream's weights may go negative, which no pruning index can search.
   */
  nonNegativeStaticWeights: boolean;
}

export const TRAINING_DEFAULTS: TrainingOptions = {
  epochs: 1,
  maxSteps: -1,
  batchSize: 16,
  gradientAccumulationSteps: 1,
  lr: 2e-5,
  warmupRatio: 0.1,
  warmupSteps: 0,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  maxGradNorm: 1,
  lambdaDocument: 1e-3,
  lambdaQuery: 5e-5,
  useDocumentRegularizerOnly: false,
  regularizerWarmupRatio: DEFAULT_REGULARIZER_WARMUP_RATIO,
  regularizerSchedule: "quadratic",
  loss: "mnrl",
  mnrlScale: 1,
  shuffle: true,
  dropout: true,
  seed: 42,
  evalSteps: 500,
  loggingSteps: 100,
  saveSteps: 500,
  loadBestModelAtEnd: true,
  nonNegativeStaticWeights: true,
};
