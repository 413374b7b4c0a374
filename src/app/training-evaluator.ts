/**
 * The evaluator `splade train` evaluates with: a TrainingEvaluator (src/train/evaluator.ts) implemented on
 * the evaluation use case (app/evaluate.ts) — a BEIR folder split (SparseInformationRetrievalEvaluator) or
 * NanoBEIR datasets with their mean (SparseNanoBEIREvaluator). Metric keys are upstream's flat names
 * (`scifact_dot_ndcg@10`, `NanoBEIR_mean_dot_ndcg@10`); the primary metric is nDCG@10 of the single dataset
 * or of the NanoBEIR mean, as the seed run selected its checkpoint. Datasets are loaded once and kept.
 */
import { basename } from "node:path";
import type { RetrievalDataset } from "../eval/dataset.js";
import { loadBeirDataset } from "../eval/beir.js";
import { loadNanoBeirDataset, nanoBeirDisplayName, type NanoBeirName } from "../eval/nanobeir.js";
import { NANOBEIR_MEAN_NAME } from "../eval/nanobeir-mean.js";
import { flatMetrics } from "../eval/report.js";
import type { HubOptions } from "../hub/index.js";
import type { TrainingEvaluator } from "../train/evaluator.js";
import { evaluateModel } from "./evaluate.js";
import { openEvaluationModel } from "./evaluation-model.js";

export type TrainingEvaluationData = { beir: string; split: string; title?: boolean } | { nanobeir: NanoBeirName[] };

export interface TrainingEvaluatorOptions {
  data: TrainingEvaluationData;
  hub?: HubOptions;
  batchSize?: number;
  onProgress?: (message: string) => void;
}

function memo(load: () => Promise<RetrievalDataset>): () => Promise<RetrievalDataset> {
  let cached: Promise<RetrievalDataset> | undefined;
  return () => (cached ??= load());
}

export function createTrainingEvaluator(o: TrainingEvaluatorOptions): TrainingEvaluator {
  const data = o.data;
  let datasets: Array<() => Promise<RetrievalDataset>>;
  let primaryMetric: string;
  if ("beir" in data) {
    datasets = [memo(() => loadBeirDataset(data.beir, { split: data.split, title: data.title ?? false }))];
    primaryMetric = `${basename(data.beir.replace(/\/+$/, ""))}_dot_ndcg@10`;
  } else {
    datasets = data.nanobeir.map((name) => memo(() => loadNanoBeirDataset(name, o.hub ?? {})));
    primaryMetric = data.nanobeir.length > 1 ? `${NANOBEIR_MEAN_NAME}_dot_ndcg@10` : `${nanoBeirDisplayName(data.nanobeir[0])}_dot_ndcg@10`;
  }
  return {
    primaryMetric,
    async evaluate({ dir, step }) {
      o.onProgress?.(`evaluating step ${step}`);
      const model = await openEvaluationModel(dir, { hub: o.hub });
      try {
        const columns = await evaluateModel({
          model,
          datasets,
          conventions: "st",
          ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
          nanoBeir: "nanobeir" in data,
        });
        return flatMetrics(columns);
      } finally {
        await model.release?.();
      }
    },
  };
}
