/**
 * `splade train --model <dir|hub-id> --train <file> --output <dir> [--eval-beir <dir> [--eval-split dev] |
 *   --eval-nanobeir <names>] [--epochs 1] [--max-steps N] [--batch-size 16] [--lr 2e-5] [--warmup-ratio 0.1 |
 *   --warmup-steps N] [--lambda-document 1e-3] [--lambda-query 5e-5] [--regularizer-warmup-ratio R |
 *   --regularizer-warmup-steps N] [--loss mnrl|margin-mse] [--no-shuffle] [--dropout on|off] [--seed 42]
 *   [--eval-steps 500] [--logging-steps 100] [--max-seq-length N] [--log <log.jsonl>]
 *   [--router-mapping <json>] [--learning-rate-mapping <json>] [--use-document-regularizer-only] …`
 * Fine-tunes a SPLADE model (src/train/trainer.ts) and writes it as a sentence-transformers SparseEncoder
 * folder with checkpoint-N/ folders and a model card. An inference-free Router model (splade init-model
 * --inference-free) needs --router-mapping (e.g. '{"query": "query"}': other columns take the default route,
 * documents) and usually a --learning-rate-mapping for its query weights ('{"SparseStaticEmbedding\\.weight": 1e-3}'),
 * upstream's `router_mapping` and `learning_rate_mapping` as JSON. --log writes one JSON line per optimizer step (rewritten
 * from the checkpoint's history on --resume-from-checkpoint, so the file equals an uninterrupted run's).
 * An explicit --warmup-steps (0 included: no warm-up, as transformers' warmup_steps=0 with warmup_ratio 0) replaces the
 * default --warmup-ratio. Progress (bar and ETA) on a terminal; a line per logging step on stderr; Ctrl-C stops before the next step.
 */
import { appendFileSync, existsSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { createTrainingEvaluator, type TrainingEvaluationData } from "../../app/training-evaluator.js";
import { parseNanoBeirNames } from "../../eval/nanobeir.js";
import { hubOptionsFromEnv, resolveModelPath } from "../../hub/index.js";
import { readTrainingRows } from "../../train/data/rows.js";
import { parseLearningRateMapping } from "../../train/optimizer/lr-mapping.js";
import { parseRouterMapping } from "../../train/routing.js";
import { loadTrainerCheckpoint, type StepLogRecord } from "../../train/checkpoint/trainer-checkpoint.js";
import { loadTrainingModel } from "../../train/model-source.js";
import { TRAINING_DEFAULTS, type TrainingOptions } from "../../train/options.js";
import { train } from "../../train/trainer.js";
import { SpladeError } from "../../util/errors.js";
import { createProgress } from "../progress.js";
import { writeFileAtomicSync } from "../../util/atomic-write.js";

const MODEL_FILES = ["config.json", "model.safetensors", { file: "tokenizer.json", optional: true }, { file: "vocab.txt", optional: true },
  { file: "tokenizer_config.json", optional: true }, { file: "special_tokens_map.json", optional: true }, { file: "modules.json", optional: true },
  { file: "sentence_bert_config.json", optional: true }, { file: "config_sentence_transformers.json", optional: true }, { file: "1_SpladePooling/config.json", optional: true }];

const LOG_KEYS = ["step", "lr", "loss", "base_loss", "document_regularizer_loss", "query_regularizer_loss", "grad_norm", "lambda_document", "lambda_query"] as const;

function int(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a non-negative number");
  return n;
}

interface TrainFlags {
  model: string; train: string; output: string; evalBeir?: string; evalSplit: string; evalTitle?: boolean; evalNanobeir?: string; evalBatchSize?: number;
  epochs: number; maxSteps: number; batchSize: number; gradientAccumulationSteps: number; lr: number; warmupRatio: number; warmupSteps: number;
  lambdaDocument: number; lambdaQuery: number; regularizerWarmupRatio?: number; regularizerWarmupSteps?: number; regularizerSchedule: "quadratic" | "linear";
  loss: "mnrl" | "margin-mse"; scale: number; shuffle: boolean; dropout: "on" | "off"; seed: number; evalSteps: number; loggingSteps: number;
  saveSteps?: number; saveTotalLimit?: number; maxSeqLength?: number; weightDecay: number; maxGradNorm: number; metricForBestModel?: string;
  log?: string; resumeFromCheckpoint?: string; threads?: number;
  routerMapping?: string; learningRateMapping?: string; useDocumentRegularizerOnly?: boolean; allowNegativeStaticWeights?: boolean;
}

function logLine(r: StepLogRecord): string {
  return JSON.stringify(Object.fromEntries(LOG_KEYS.map((k) => [k, r[k]]))) + "\n";
}

export function registerTrain(program: Command): void {
  const d = TRAINING_DEFAULTS;
  program
    .command("train")
    .description("Fine-tune a SPLADE model (SpladeLoss with FLOPS regularizers, AdamW) and save it as a SparseEncoder folder")
    .requiredOption("--model <model>", "start from a SparseEncoder or *ForMaskedLM folder, or a Hub id")
    .requiredOption("--train <file>", "training JSONL: query, positive[, negative | negative_1… | negatives][, label]")
    .requiredOption("--output <dir>", "output folder (model, checkpoint-N/, README.md)")
    .option("--eval-beir <dir>", "evaluate on a BEIR folder every --eval-steps")
    .option("--eval-split <name>", "qrels split of --eval-beir", "dev")
    .option("--eval-title", "BEIR documents are \"title text\" (as mined with mine-negatives --title)")
    .option("--eval-nanobeir <names>", "evaluate on NanoBEIR datasets (all, or msmarco,nfcorpus,…)")
    .option("--eval-batch-size <n>", "encoding batch size of evaluations", int(1))
    .option("--epochs <n>", "training epochs", num, d.epochs)
    .option("--max-steps <n>", "optimizer steps (overrides --epochs)", int(1))
    .option("--batch-size <n>", "rows per batch", int(1), d.batchSize)
    .option("--gradient-accumulation-steps <n>", "micro-batches per optimizer step", int(1), d.gradientAccumulationSteps)
    .option("--lr <x>", "peak learning rate", num, d.lr)
    .addOption(new Option("--warmup-ratio <x>", "linear warm-up over this fraction of the steps").argParser(num).default(d.warmupRatio).conflicts("warmupSteps"))
    .option("--warmup-steps <n>", "linear warm-up steps (0: none, the first update at the full --lr)", int(0))
    .option("--lambda-document <x>", "FLOPS weight of documents", num, d.lambdaDocument)
    .option("--lambda-query <x>", "FLOPS weight of queries", num, d.lambdaQuery as number)
    .option("--use-document-regularizer-only", "one document FLOPS term over every column (queries included), no query term")
    .addOption(new Option("--regularizer-warmup-ratio <x>", "regularizer ramp over this fraction of the steps (default 1/3)").argParser(num).conflicts("regularizerWarmupSteps"))
    .option("--regularizer-warmup-steps <n>", "regularizer ramp steps", int(1))
    .addOption(new Option("--regularizer-schedule <kind>", "regularizer ramp shape").choices(["quadratic", "linear"]).default(d.regularizerSchedule))
    .addOption(new Option("--loss <kind>", "ranking loss").choices(["mnrl", "margin-mse"]).default(d.loss))
    .option("--scale <x>", "MNRL similarity scale", num, d.mnrlScale)
    .option("--no-shuffle", "batches of consecutive rows in file order (default: seeded no-duplicates batches)")
    .addOption(new Option("--dropout <mode>", "training-mode dropout from config.json").choices(["on", "off"]).default("on"))
    .option("--seed <n>", "random seed", int(0), d.seed)
    .option("--eval-steps <n>", "evaluate every n steps", int(1), d.evalSteps)
    .option("--logging-steps <n>", "log every n steps", int(1), d.loggingSteps)
    .option("--save-steps <n>", "checkpoint every n steps (default: --eval-steps)", int(1))
    .option("--save-total-limit <n>", "keep at most n checkpoints (the best is always kept)", int(1))
    .option("--max-seq-length <n>", "truncate texts to n tokens (default: the model's)", int(3))
    .option("--weight-decay <x>", "AdamW weight decay", num, d.weightDecay)
    .option("--max-grad-norm <x>", "clip gradients to this global norm", num, d.maxGradNorm)
    .option("--metric-for-best-model <key>", "evaluation metric that picks the best checkpoint")
    .option("--log <file>", "write one JSON line per optimizer step")
    .option("--resume-from-checkpoint <dir>", "continue from a checkpoint-N folder")
    .option("--threads <n>", "onnxruntime threads (default: all cores)", int(1))
    .option("--router-mapping <json>", "Router models: training column → route, e.g. '{\"query\": \"query\"}' (other columns: the default route)")
    .option("--allow-negative-static-weights", "let trained SparseStaticEmbedding (query) weights go below 0, as upstream (such queries cannot be searched by a pruning index)")
    .option("--learning-rate-mapping <json>", "parameter-name regex → learning rate, e.g. '{\"SparseStaticEmbedding\\\\.weight\": 1e-3}'")
    .action(async (f: TrainFlags) => {
      if (f.evalBeir !== undefined && f.evalNanobeir !== undefined) throw new SpladeError("INVALID_ARGUMENT", "give at most one of --eval-beir and --eval-nanobeir");
      const hub = hubOptionsFromEnv(process.env);
      // A local folder is read as it is (a Router keeps its modules in subfolders; loadTrainingModel names what is missing).
      const dir = existsSync(f.model) ? f.model : await resolveModelPath(f.model, { ...hub, files: MODEL_FILES });
      const model = await loadTrainingModel(dir, { maxSeqLength: f.maxSeqLength });
      const rows = readTrainingRows(f.train);
      const data: TrainingEvaluationData | undefined =
        f.evalBeir !== undefined ? { beir: f.evalBeir, split: f.evalSplit, title: f.evalTitle ?? false } : f.evalNanobeir !== undefined ? { nanobeir: parseNanoBeirNames(f.evalNanobeir) } : undefined;
      const evaluator = data ? createTrainingEvaluator({ data, hub, batchSize: f.evalBatchSize }) : undefined;
      const options: TrainingOptions = {
        ...d,
        epochs: f.epochs, maxSteps: f.maxSteps ?? -1, batchSize: f.batchSize, gradientAccumulationSteps: f.gradientAccumulationSteps,
        lr: f.lr, warmupRatio: f.warmupSteps !== undefined ? 0 : f.warmupRatio, warmupSteps: f.warmupSteps ?? 0,
        lambdaDocument: f.lambdaDocument, lambdaQuery: f.lambdaQuery, regularizerWarmupRatio: f.regularizerWarmupRatio ?? d.regularizerWarmupRatio,
        regularizerWarmupSteps: f.regularizerWarmupSteps, regularizerSchedule: f.regularizerSchedule, loss: f.loss, mnrlScale: f.scale,
        shuffle: f.shuffle, dropout: f.dropout === "on", seed: f.seed, evalSteps: f.evalSteps, loggingSteps: f.loggingSteps,
        saveSteps: f.saveSteps ?? f.evalSteps, saveTotalLimit: f.saveTotalLimit, weightDecay: f.weightDecay, maxGradNorm: f.maxGradNorm,
        metricForBestModel: f.metricForBestModel, loadBestModelAtEnd: evaluator !== undefined, threads: f.threads,
        useDocumentRegularizerOnly: f.useDocumentRegularizerOnly ?? false,
        nonNegativeStaticWeights: !(f.allowNegativeStaticWeights ?? false),
        ...(f.routerMapping !== undefined ? { routerMapping: parseRouterMapping(f.routerMapping) } : {}),
        ...(f.learningRateMapping !== undefined ? { learningRateMapping: parseLearningRateMapping(f.learningRateMapping) } : {}),
      };
      if (f.log !== undefined) {
        const previous = f.resumeFromCheckpoint ? loadTrainerCheckpoint(f.resumeFromCheckpoint).state.steps : [];
        writeFileAtomicSync(f.log, previous.map(logLine).join(""));
      }
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once("SIGINT", onSigint);
      const progress = createProgress("train");
      try {
        const result = await train({
          model, rows, outputDir: f.output, options, evaluator, resumeFrom: f.resumeFromCheckpoint, datasetName: f.train, signal: controller.signal,
          onStep: (r) => {
            if (f.log !== undefined) appendFileSync(f.log, logLine(r));
            if (r.step % options.loggingSteps === 0) {
              process.stderr.write(`step ${r.step}: loss ${r.loss.toFixed(4)} (base ${r.base_loss.toFixed(4)}) lr ${r.lr.toExponential(3)} grad_norm ${r.grad_norm.toFixed(3)}\n`);
            }
          },
          onEvaluation: (e) => process.stderr.write(`step ${e.step}: ${evaluator!.primaryMetric} ${e.metrics[evaluator!.primaryMetric]?.toFixed(4)}\n`),
          onProgress: (p) => progress.update(p.step, p.totalSteps),
        });
        progress.stop();
        const best = result.bestStep !== null ? `; best step ${result.bestStep} (${options.metricForBestModel ?? evaluator?.primaryMetric} ${result.bestMetric?.toFixed(4)})` : "";
        process.stdout.write(`trained ${result.globalStep} steps${best}; model written to ${f.output}\n`);
      } finally {
        progress.stop();
        process.removeListener("SIGINT", onSigint);
      }
    });
}
