/**
 * The README.md model card of a trained model, following the seed card (sentence-transformers'
 * SparseEncoder card template): model details and architecture, usage, evaluation tables, training data and
 * loss configuration, hyperparameters, the training-log table (best row in bold), framework versions and
 * citations. Values come from the run; nothing is invented (no carbon or hardware figures).
 */

import { basename } from "node:path";
import type { TrainerState } from "../checkpoint/trainer-checkpoint.js";
import type { TrainingModelSource } from "../model-source.js";
import type { TrainingOptions } from "../options.js";
import type { TrainingPlan } from "../plan.js";
import { CITATIONS } from "./citations.js";
import { metricsTable, trainingLogTable } from "./tables.js";
import { writeFileAtomicSync } from "../../util/atomic-write.js";

export interface ModelCardInput {
  source: TrainingModelSource;
  options: TrainingOptions;
  plan: TrainingPlan;
  state: TrainerState;
  metricName: string | undefined;
  datasetName?: string;
  rows: number;
  columns: number;
  /** Framework versions to list (default: splade-ts and Node.js). */
  versions?: Record<string, string>;
}

function architectureName(source: TrainingModelSource): string {
  return source.config.kind === "distilbert" ? "DistilBertForMaskedLM" : "BertForMaskedLM";
}

function lossDescription(o: TrainingOptions): Record<string, unknown> {
  const base = o.loss === "mnrl" ? `SparseMultipleNegativesRankingLoss(scale=${o.mnrlScale.toFixed(1)}, similarity_fct='dot_score')` : "SparseMarginMSELoss(similarity_fct='dot_score')";
  return {
    loss: base,
    document_regularizer_weight: o.lambdaDocument,
    query_regularizer_weight: o.lambdaQuery,
    ...(o.documentRegularizerThreshold !== undefined ? { document_regularizer_threshold: o.documentRegularizerThreshold } : {}),
    ...(o.queryRegularizerThreshold !== undefined ? { query_regularizer_threshold: o.queryRegularizerThreshold } : {}),
    ...(o.useDocumentRegularizerOnly ? { use_document_regularizer_only: true } : {}),
  };
}

function hyperparameters(input: ModelCardInput): Array<[string, unknown]> {
  const o = input.options;
  return [
    ["per_device_train_batch_size", o.batchSize],
    ["gradient_accumulation_steps", o.gradientAccumulationSteps],
    ["learning_rate", o.lr],
    ["num_train_epochs", o.epochs],
    ["max_steps", o.maxSteps],
    ["total_steps", input.plan.totalSteps],
    ["lr_scheduler_type", "linear"],
    ["warmup_ratio", o.warmupRatio],
    ["warmup_steps", input.plan.warmupSteps],
    ["adam_beta1", o.beta1],
    ["adam_beta2", o.beta2],
    ["adam_epsilon", o.eps],
    ["weight_decay", o.weightDecay],
    ["max_grad_norm", o.maxGradNorm],
    ["regularizer_schedule", o.regularizerSchedule],
    ["regularizer_warmup_steps", input.plan.regularizerWarmupSteps],
    ["batch_sampler", o.shuffle ? "no_duplicates" : "sequential (no shuffle)"],
    ["dropout", o.dropout ? "on (config.json probabilities)" : "off"],
    ["seed", o.seed],
    ["eval_steps", o.evalSteps],
    ["logging_steps", o.loggingSteps],
    ["save_steps", o.saveSteps],
    ["save_total_limit", o.saveTotalLimit ?? null],
    ["max_seq_length", input.source.maxSeqLength],
    ["load_best_model_at_end", o.loadBestModelAtEnd],
    ["metric_for_best_model", input.metricName ?? null],
    ...(o.routerMapping ? [["router_mapping", JSON.stringify(o.routerMapping)] as [string, unknown]] : []),
    ...(input.source.router ? [["non_negative_static_weights (splade-ts)", o.nonNegativeStaticWeights] as [string, unknown]] : []),
    ...(o.learningRateMapping && Object.keys(o.learningRateMapping).length > 0 ? [["learning_rate_mapping", JSON.stringify(o.learningRateMapping)] as [string, unknown]] : []),
  ];
}

/** The module tree as sentence-transformers prints it (Router: one Sequential per route). */
function architectureLines(source: TrainingModelSource): string[] {
  const pooling = `{'pooling_strategy': '${source.pooling.pooling}', 'activation_function': '${source.pooling.activation}', 'word_embedding_dimension': ${source.config.vocabSize}}`;
  const mlm = `MLMTransformer({'max_seq_length': ${source.maxSeqLength}, 'do_lower_case': False}) with MLMTransformer model: ${architectureName(source)} `;
  const router = source.router;
  if (!router) return ["SparseEncoder(", `  (0): ${mlm}`, `  (1): SpladePooling(${pooling})`, ")"];
  const routeLines = [...router.routes].flatMap(([route, kind]) => [
    `      (${route}): Sequential(`,
    ...(kind === "static"
      ? [`        (0): SparseStaticEmbedding({'frozen': ${router.static.frozen ? "True" : "False"}}, dim=${router.static.weight.length})`]
      : [`        (0): ${mlm}`, `        (1): SpladePooling(${pooling})`]),
    "      )",
  ]);
  return ["SparseEncoder(", "  (0): Router(", "    (sub_modules): ModuleDict(", ...routeLines, "    )", "  )", ")"];
}

export function modelCard(input: ModelCardInput): string {
  const { source, state } = input;
  const savedStep = input.options.loadBestModelAtEnd && state.best_step !== null ? state.best_step : state.global_step;
  const finalEval = state.evaluations.find((e) => e.step === savedStep);
  // The log table shows nDCG@10 per dataset, as the seed card does; every metric is in the evaluation table.
  const allMetrics = [...new Set(state.evaluations.flatMap((e) => Object.keys(e.metrics)))];
  const ndcg = allMetrics.filter((k) => k.endsWith("ndcg@10"));
  const metricColumns = ndcg.length > 0 ? ndcg : allMetrics;
  const base = basename(source.router?.dir ?? source.dir);
  const kind = source.router ? "Inference-free SPLADE Sparse Encoder" : "SPLADE Sparse Encoder";
  const versions = input.versions ?? { "splade-ts": "0.1.0", "Node.js": process.versions.node };
  const lines = [
    `# SPLADE sparse encoder fine-tuned from ${base}${input.datasetName ? ` on ${input.datasetName}` : ""}`,
    "",
    `This is ${source.router ? "an" : "a"} ${kind} model finetuned from ${base} with splade-ts. It maps sentences & paragraphs to a ${source.config.vocabSize}-dimensional sparse vector space and can be used for semantic search and sparse retrieval.`,
    "",
    "## Model Details",
    "",
    "### Model Description",
    "",
    `- **Model Type:** ${kind}`,
    `- **Base model:** ${base}`,
    `- **Maximum Sequence Length:** ${source.maxSeqLength} tokens`,
    `- **Output Dimensionality:** ${source.config.vocabSize} dimensions`,
    "- **Similarity Function:** Dot Product",
    `- **Training Dataset:** ${input.datasetName ?? "(unnamed)"}`,
    "",
    "### Full Model Architecture",
    "",
    "```",
    ...architectureLines(source),
    "```",
    "",
    "## Usage",
    "",
    "```python",
    "from sentence_transformers import SparseEncoder",
    "",
    'model = SparseEncoder("path/to/this/folder")',
    'query_embeddings = model.encode_query(["canine ultrasound cost"])',
    "```",
    "",
    "```sh",
    "splade encode --model path/to/this/folder ...",
    "```",
    "",
    "## Evaluation",
    "",
    finalEval ? `Metrics of the saved checkpoint (step ${finalEval.step}):\n\n${metricsTable(finalEval.metrics)}` : "No evaluation was run.",
    "",
    "## Training Details",
    "",
    "### Training Dataset",
    "",
    `- **Dataset:** ${input.datasetName ?? "(unnamed)"}`,
    `- **Size:** ${input.rows} training samples`,
    `- **Columns:** ${["query", "positive", ...Array.from({ length: input.columns - 2 }, (_, i) => (input.columns === 3 ? "negative" : `negative_${i + 1}`))].join(", ")}`,
    "- **Loss:** `SpladeLoss` with these parameters:",
    "",
    "```json",
    JSON.stringify(lossDescription(input.options), null, 4),
    "```",
    "",
    "### Training Hyperparameters",
    "",
    ...hyperparameters(input).map(([k, v]) => `- \`${k}\`: ${v === null ? "None" : String(v)}`),
    "",
    "### Training Logs",
    "",
    trainingLogTable({ steps: state.steps, evaluations: state.evaluations, loggingSteps: input.options.loggingSteps, savedStep: finalEval ? savedStep : null, metricColumns }),
    "",
    finalEval ? "* The bold row denotes the saved checkpoint." : "",
    "",
    "### Framework Versions",
    "",
    ...Object.entries(versions).map(([k, v]) => `- ${k}: ${v}`),
    "",
    "## Citation",
    "",
    CITATIONS,
  ];
  return lines.join("\n") + "\n";
}

export function writeModelCard(path: string, input: ModelCardInput): void {
  writeFileAtomicSync(path, modelCard(input));
}
