/**
 * The evaluation report as data (JSON) and as files: `<output>.json` with the run's settings, each dataset's
 * counts, metrics and sparsity statistics, and upstream's flat result keys; `<output>.csv` beside it with the
 * card-shaped table at full precision (report.ts). Both written atomically.
 */
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { DatasetResult } from "./encoded-evaluation.js";
import type { Conventions } from "./ir-metrics.js";
import { flatMetrics, formatCsv } from "./report.js";

export interface EvaluationSettings {
  readonly model: string;
  readonly conventions: Conventions;
  readonly maxActiveDims: number | null;
  /** Retrieval was approximate (true: default knobs, or the knobs set); absent or false: exact. */
  readonly approximate?: boolean | Record<string, number>;
  /** E.g. {"beir": "../shared/data/scifact", "split": "test", "title": true} or {"nanobeir": [...]}. */
  readonly data: Record<string, unknown>;
}

export interface EvaluationReport {
  readonly settings: EvaluationSettings;
  /** One column per dataset, then the NanoBEIR mean when there is one. */
  readonly columns: readonly DatasetResult[];
  /** The model's similarity function, prefixed to metric names ("dot" unless the model scores by "cosine"). */
  readonly scoreFunction?: string;
}

/** JSON-ready object (count vectors left out). */
export function reportToJson(report: EvaluationReport): Record<string, unknown> {
  return {
    ...report.settings,
    datasets: report.columns.map((c) => ({
      name: c.name,
      queries: c.queryCount,
      corpus: c.corpusCount,
      metrics: c.metrics,
      sparsity: c.sparsity,
    })),
    metrics: flatMetrics(report.columns, report.scoreFunction),
  };
}

/** The CSV path that goes with a JSON output path: `x.json` → `x.csv`, `x` → `x.csv`. */
export function csvPathFor(jsonPath: string): string {
  return jsonPath.replace(/\.json$/i, "") + ".csv";
}

/** Writes `<path>` (JSON) and its CSV companion; returns both paths. */
export function writeEvaluationReport(path: string, report: EvaluationReport): { json: string; csv: string } {
  const csv = csvPathFor(path);
  writeFileAtomicSync(path, JSON.stringify(reportToJson(report), null, 2) + "\n");
  writeFileAtomicSync(csv, formatCsv(report.columns, report.scoreFunction));
  return { json: path, csv };
}
