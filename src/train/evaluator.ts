/**
 * How training evaluates without importing the retrieval half (train must not import index/ or eval/):
 * `src/app/` implements this interface on the eval engine (BEIR folder or NanoBEIR datasets) and the CLI
 * passes it in. The trainer hands over a complete model folder of the current weights.
 */
export interface TrainingEvaluator {
  /** The metric key that picks the best checkpoint by default (e.g. "NanoBEIR_mean_dot_ndcg@10"). */
  readonly primaryMetric: string;
  /** Metrics of the model in `dir` (a SparseEncoder folder), keyed like the seed card's columns. */
  evaluate(model: { dir: string; step: number }): Promise<Record<string, number>>;
}

/** HF `greater_is_better`: true unless the metric is a loss. */
export function greaterIsBetter(metric: string): boolean {
  return !metric.endsWith("loss");
}
