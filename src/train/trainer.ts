/**
 * The training loop (HF Trainer / SparseEncoderTrainer semantics): for each optimizer step take
 * gradient_accumulation_steps micro-batches from the batch stream, run them through the step graphs
 * (step-runner.ts) with that step's lr and regularizer weights, record the step, and every eval_steps
 * evaluate (keeping the best checkpoint by the chosen metric), every save_steps write checkpoint-N/ (Adam
 * moments and trainer state included, save_total_limit applied). At the end the best (or last) weights are
 * published into the output folder as a SparseEncoder with a generated model card.
 *
 * Resume: `resumeFrom` names a checkpoint-N folder; weights, moments, the data-stream position, histories and
 * the best metric come from it, and the settings that decide the result must match (else INVALID_ARGUMENT).
 * Dropout seeds derive from (seed, step), so a resumed run reproduces the uninterrupted one.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SpladeError } from "../util/errors.js";
import { BatchStream } from "./data/batch-stream.js";
import { columnNames, type TrainingRow } from "./data/rows.js";
import { tokenizeRows } from "./data/tokenize.js";
import { publishInto } from "./checkpoint/atomic-dir.js";
import { writeModelFolder } from "./checkpoint/model-folder.js";
import {
  checkpointName,
  loadTrainerCheckpoint,
  rotateCheckpoints,
  saveTrainerCheckpoint,
  type EvalRecord,
  type StepLogRecord,
  type TrainerState,
} from "./checkpoint/trainer-checkpoint.js";
import { greaterIsBetter, type TrainingEvaluator } from "./evaluator.js";
import { trainingWeights, type TrainingModelSource } from "./model-source.js";
import type { TrainingOptions } from "./options.js";
import { adamwScalars } from "./optimizer/adamw.js";
import { dropoutSeed, makePlan, stepHyperparameters, type TrainingPlan } from "./plan.js";
import { StepRunner, type LossParts } from "./step-runner.js";
import { writeModelCard } from "./card/write-card.js";
import { upstreamParameterNames } from "./param-names.js";
import { routeColumns } from "./routing.js";

export interface TrainingProgress {
  step: number;
  totalSteps: number;
  loss: number;
  elapsedMs: number;
  /** Estimated time left (steps of this session so far). */
  etaMs: number;
}

export interface TrainRunOptions {
  model: TrainingModelSource;
  rows: TrainingRow[];
  outputDir: string;
  options: TrainingOptions;
  evaluator?: TrainingEvaluator;
  /** A checkpoint-N folder to resume from. */
  resumeFrom?: string;
  /** Description of the training data for the model card (name, size). */
  datasetName?: string;
  onStep?: (record: StepLogRecord) => void;
  onEvaluation?: (record: EvalRecord) => void;
  onProgress?: (progress: TrainingProgress) => void;
  /** Stops before the next step (CANCELLED); checkpoints already written remain. */
  signal?: AbortSignal;
}

export interface TrainResult {
  globalStep: number;
  bestStep: number | null;
  bestMetric: number | null;
  state: TrainerState;
}

function settingsOf(rows: number, o: TrainingOptions, source: TrainingModelSource): Record<string, unknown> {
  const { threads: _threads, saveTotalLimit: _limit, evalSteps: _e, loggingSteps: _l, saveSteps: _s, ...decisive } = o;
  return { rows, maxSeqLength: source.maxSeqLength, ...decisive };
}

function checkResumeSettings(saved: Record<string, unknown>, current: Record<string, unknown>, dir: string): void {
  const differing = Object.keys({ ...saved, ...current }).filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(current[k]));
  if (differing.length > 0) {
    throw new SpladeError("INVALID_ARGUMENT", `${dir}: cannot resume, these settings differ from the checkpoint's: ${differing.map((k) => `${k} (${JSON.stringify(saved[k])} → ${JSON.stringify(current[k])})`).join(", ")}`);
  }
}

export async function train(run: TrainRunOptions): Promise<TrainResult> {
  const o = run.options;
  const plan: TrainingPlan = makePlan(run.rows.length, o);
  const columns = 2 + run.rows[0].negatives.length;
  if (o.loss === "margin-mse" && columns < 3) throw new SpladeError("INVALID_ARGUMENT", "margin-mse needs at least one negative per row");
  const settings = settingsOf(run.rows.length, o, run.model);
  let state: TrainerState = {
    format: "splade-ts-trainer-state",
    version: 1,
    global_step: 0,
    total_steps: plan.totalSteps,
    epoch: 0,
    batch_in_epoch: 0,
    best_metric: null,
    best_step: null,
    steps: [],
    evaluations: [],
    settings,
  };
  let moments: { m: Map<string, Float32Array>; v: Map<string, Float32Array> } | undefined;
  if (run.resumeFrom) {
    const loaded = loadTrainerCheckpoint(run.resumeFrom);
    checkResumeSettings(loaded.state.settings, settings, run.resumeFrom);
    state = loaded.state;
    moments = { m: loaded.m, v: loaded.v };
  }
  const routing = routeColumns(run.model, columnNames(run.rows[0]), o.routerMapping, { nonNegativeStaticWeights: o.nonNegativeStaticWeights });
  // Resumed weights come from the checkpoint's model folder (stored keys as in the source checkpoint).
  const weights = trainingWeights(run.model, run.resumeFrom);
  const lrMapping = o.learningRateMapping ?? {};
  const optimizer = { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, maxGradNorm: o.maxGradNorm };
  const runner = StepRunner.create(
    {
      config: run.model.config,
      pooling: run.model.pooling,
      loss: {
        base: o.loss === "mnrl" ? { kind: "mnrl", scale: o.mnrlScale } : { kind: "margin-mse" },
        documentRegularizerWeight: o.lambdaDocument,
        queryRegularizerWeight: o.lambdaQuery,
        documentRegularizerThreshold: o.documentRegularizerThreshold,
        queryRegularizerThreshold: o.queryRegularizerThreshold,
        useDocumentRegularizerOnly: o.useDocumentRegularizerOnly,
      },
      optimizer,
      columns,
      dropout: o.dropout,
      columnRoutes: routing.routes,
      staticRoute: routing.staticRoute,
      ...(Object.keys(lrMapping).length > 0 ? { learningRates: { mapping: lrMapping, upstreamNames: (p: string) => upstreamParameterNames(run.model, p) } } : {}),
    },
    weights,
    { threads: o.threads, moments },
  );
  const stream = new BatchStream(run.rows, { batchSize: o.batchSize, shuffle: o.shuffle, seed: o.seed }, { epoch: state.epoch, batchInEpoch: state.batch_in_epoch });
  mkdirSync(run.outputDir, { recursive: true });
  const metricName = o.metricForBestModel ?? run.evaluator?.primaryMetric;
  const started = Date.now();
  const firstStep = state.global_step;

  const saveCheckpoint = () =>
    saveTrainerCheckpoint(join(run.outputDir, checkpointName(state.global_step)), {
      source: run.model,
      params: runner.params,
      values: runner.state.params,
      m: runner.state.m,
      v: runner.state.v,
      state,
    });

  const evaluate = async (): Promise<boolean> => {
    if (!run.evaluator) return false;
    const dir = join(run.outputDir, `.eval-step-${state.global_step}`);
    rmSync(dir, { recursive: true, force: true });
    writeModelFolder(dir, { source: run.model, params: runner.state.params });
    let metrics: Record<string, number>;
    try {
      metrics = await run.evaluator.evaluate({ dir, step: state.global_step });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const record: EvalRecord = { step: state.global_step, epoch: stream.epochProgress(), metrics };
    state.evaluations.push(record);
    run.onEvaluation?.(record);
    if (metricName === undefined) return false;
    const value = metrics[metricName];
    if (value === undefined) throw new SpladeError("INVALID_ARGUMENT", `metric '${metricName}' is not among the evaluator's (${Object.keys(metrics).join(", ")})`);
    const better = state.best_metric === null || (greaterIsBetter(metricName) ? value > state.best_metric : value < state.best_metric);
    if (better) {
      state.best_metric = value;
      state.best_step = state.global_step;
    }
    return better;
  };

  try {
    while (state.global_step < plan.totalSteps) {
      if (run.signal?.aborted) throw new SpladeError("CANCELLED", `training stopped before step ${state.global_step + 1}`);
      const step = state.global_step;
      const hyper = stepHyperparameters(step, plan, o);
      const groups = hyper.groupLrs.map((lr) => adamwScalars(optimizer, step + 1, lr));
      const scalars = { ...adamwScalars(optimizer, step + 1, hyper.lr), groups, lambdaDocument: hyper.lambdaDocument, lambdaQuery: hyper.lambdaQuery, gradScale: 1 / o.gradientAccumulationSteps };
      const parts = { loss: 0, base_loss: 0, document_regularizer_loss: 0, query_regularizer_loss: 0 };
      let gradNorm = 0;
      for (let micro = 0; micro < o.gradientAccumulationSteps; micro++) {
        const batch = tokenizeRows(run.model.tokenizer, stream.next(), { maxLength: run.model.maxSeqLength, labels: o.loss === "margin-mse", columns: routing.tokenizers });
        const s = { ...scalars, dropoutSeed: dropoutSeed(o.seed, step, micro) };
        const last = micro === o.gradientAccumulationSteps - 1;
        let r: LossParts;
        if (last) {
          const u = await runner.update(batch, s);
          gradNorm = u.gradNorm;
          r = u;
        } else {
          r = await runner.accumulate(batch, s);
        }
        for (const k of Object.keys(parts) as Array<keyof LossParts>) parts[k] += r[k] / o.gradientAccumulationSteps;
      }
      state.global_step = step + 1;
      ({ epoch: state.epoch, batchInEpoch: state.batch_in_epoch } = stream.current);
      const record: StepLogRecord = { step: state.global_step, epoch: stream.epochProgress(), lr: hyper.lr, ...parts, grad_norm: gradNorm, lambda_document: hyper.lambdaDocument, lambda_query: hyper.lambdaQuery };
      state.steps.push(record);
      run.onStep?.(record);
      const elapsedMs = Date.now() - started;
      const done = state.global_step - firstStep;
      run.onProgress?.({ step: state.global_step, totalSteps: plan.totalSteps, loss: parts.loss, elapsedMs, etaMs: (elapsedMs / done) * (plan.totalSteps - state.global_step) });

      const last = state.global_step === plan.totalSteps;
      const improved = state.global_step % o.evalSteps === 0 || last ? await evaluate() : false;
      if (improved || state.global_step % o.saveSteps === 0 || last) {
        saveCheckpoint();
        rotateCheckpoints(run.outputDir, o.saveTotalLimit, state.best_step);
      }
    }
    const useBest = o.loadBestModelAtEnd && state.best_step !== null && state.best_step !== state.global_step;
    const best = useBest ? trainingWeights(run.model, join(run.outputDir, checkpointName(state.best_step!))) : null;
    const finalParams = best ? new Map(runner.params.map((p) => [p.name, best(p.name, p.shape)])) : runner.state.params;
    publishInto(run.outputDir, (staging) => {
      writeModelFolder(staging, { source: run.model, params: finalParams });
      writeModelCard(join(staging, "README.md"), { source: run.model, options: o, plan, state, metricName, datasetName: run.datasetName, rows: run.rows.length, columns });
    });
    return { globalStep: state.global_step, bestStep: state.best_step, bestMetric: state.best_metric, state };
  } finally {
    await runner.release();
  }
}
