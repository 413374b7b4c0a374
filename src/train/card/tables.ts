/**
 * Markdown tables of the model card: evaluation metrics and the training log, shaped like
 * sentence-transformers' generated cards (model_card.py / the seed card): the log has one row per logging
 * step (the mean training loss since the previous row) merged with the evaluation rows, "-" where a column
 * has no value, and the row of the saved checkpoint in bold.
 */
import type { EvalRecord, StepLogRecord } from "../checkpoint/trainer-checkpoint.js";

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Four decimals, as the seed card (trailing zeros kept only for the fixed-width style upstream uses). */
export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

export function metricsTable(metrics: Record<string, number>): string {
  return markdownTable(["Metric", "Value"], Object.entries(metrics).map(([k, v]) => [k, formatMetric(v)]));
}

export interface LogTableOptions {
  steps: readonly StepLogRecord[];
  evaluations: readonly EvalRecord[];
  loggingSteps: number;
  /** The step whose checkpoint was saved as the final model (bold), if any. */
  savedStep: number | null;
  /** Evaluation columns (metric keys), in order. */
  metricColumns: string[];
}

export function trainingLogTable(o: LogTableOptions): string {
  const byStep = new Map<number, { epoch: number; loss?: number; metrics?: Record<string, number> }>();
  let since: StepLogRecord[] = [];
  for (const r of o.steps) {
    since.push(r);
    if (r.step % o.loggingSteps === 0) {
      byStep.set(r.step, { epoch: r.epoch, loss: since.reduce((a, x) => a + x.loss, 0) / since.length });
      since = [];
    }
  }
  for (const e of o.evaluations) {
    const row = byStep.get(e.step) ?? { epoch: e.epoch };
    row.metrics = e.metrics;
    byStep.set(e.step, row);
  }
  const rows = [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, r]) => {
      const cells = [formatMetric(r.epoch), String(step), r.loss === undefined ? "-" : formatMetric(r.loss), ...o.metricColumns.map((m) => (r.metrics?.[m] === undefined ? "-" : formatMetric(r.metrics[m])))];
      return step === o.savedStep ? cells.map((c) => `**${c}**`) : cells;
    });
  return markdownTable(["Epoch", "Step", "Training Loss", ...o.metricColumns], rows);
}
