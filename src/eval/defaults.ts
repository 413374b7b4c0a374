/**
 * Defaults of the evaluation, in one place, with their sources.
 *
 * Cut-offs: sentence-transformers' InformationRetrievalEvaluator (and its Sparse/NanoBEIR subclasses)
 * default to accuracy@{1,3,5,10}, precision/recall@{1,3,5,10}, ndcg@10, mrr@10, map@100: the rows of the
 * seed model card. BEIR papers and Anserini also report R@100 and R@1000, so run-file evaluation (and
 * `--conventions trec`) adds recall@100 and recall@1000.
 */

/** The k values of each metric family. */
export interface MetricCutoffs {
  readonly accuracyAtK: readonly number[];
  readonly precisionAtK: readonly number[];
  readonly recallAtK: readonly number[];
  readonly ndcgAtK: readonly number[];
  readonly mrrAtK: readonly number[];
  readonly mapAtK: readonly number[];
}

/** sentence-transformers InformationRetrievalEvaluator defaults (the seed card's rows). */
export const ST_CUTOFFS: MetricCutoffs = {
  accuracyAtK: [1, 3, 5, 10],
  precisionAtK: [1, 3, 5, 10],
  recallAtK: [1, 3, 5, 10],
  ndcgAtK: [10],
  mrrAtK: [10],
  mapAtK: [100],
};

/** ST_CUTOFFS plus recall@100 and recall@1000 (BEIR / Anserini tables). */
export const RUN_CUTOFFS: MetricCutoffs = { ...ST_CUTOFFS, recallAtK: [1, 3, 5, 10, 100, 1000] };

/** Vocabulary size of bert-base-uncased, the dimension upstream's sparsity ratio divides by (1 − active/30522). */
export const DEFAULT_VOCAB_SIZE = 30522;

/** Upstream SparseInformationRetrievalEvaluator / SparseEncoder.encode default batch size. */
export const DEFAULT_BATCH_SIZE = 32;

/** Upstream names its score function after the model's similarity; SPLADE models use the dot product. */
export const SCORE_FUNCTION_NAME = "dot";

/** Largest k of any metric: the retrieval depth an evaluation needs. */
export function maxCutoff(cutoffs: MetricCutoffs): number {
  return Math.max(
    ...cutoffs.accuracyAtK,
    ...cutoffs.precisionAtK,
    ...cutoffs.recallAtK,
    ...cutoffs.ndcgAtK,
    ...cutoffs.mrrAtK,
    ...cutoffs.mapAtK,
  );
}
