/**
 * Reports of an evaluation, shaped like the seed card's "Sparse Information Retrieval" table: one row per
 * metric (`dot_accuracy@1` … `dot_map@100`, then `query_active_dims`, `query_sparsity_ratio`,
 * `corpus_active_dims`, `corpus_sparsity_ratio`, `avg_flops`), one column per dataset.
 * - `flatMetrics`: upstream's result dict, keys `{dataset}_{score_fn}_{metric}@{k}` (e.g.
 *   `NanoMSMARCO_dot_ndcg@10`) and `{dataset}_{sparsity_key}` (e.g. `NanoBEIR_mean_avg_flops`);
 * - `formatCardTable`: a Markdown table with values rounded to 4 decimals as the card prints them
 *   (Python `round(v, 4)`: 0.38, 0.6531, 23.62);
 * - `formatCsv`: the same table at full precision.
 */
import type { DatasetResult } from "./encoded-evaluation.js";
import { SCORE_FUNCTION_NAME } from "./defaults.js";
import { SPARSITY_KEYS } from "./sparsity.js";

export interface ReportRow {
  readonly label: string;
  readonly values: readonly number[];
}

/** Table rows: retrieval metrics (prefixed with the score function), then sparsity statistics. */
export function reportRows(columns: readonly DatasetResult[], scoreFunction: string = SCORE_FUNCTION_NAME): ReportRow[] {
  if (columns.length === 0) return [];
  const metricRows = Object.keys(columns[0].metrics).map((metric) => ({
    label: `${scoreFunction}_${metric}`,
    values: columns.map((c) => c.metrics[metric]),
  }));
  const sparsityRows = SPARSITY_KEYS.map((key) => ({ label: key, values: columns.map((c) => c.sparsity[key]) }));
  return [...metricRows, ...sparsityRows];
}

/** Upstream's flat result dictionary. */
export function flatMetrics(columns: readonly DatasetResult[], scoreFunction: string = SCORE_FUNCTION_NAME): Record<string, number> {
  const out: Record<string, number> = {};
  for (const column of columns) {
    for (const [metric, value] of Object.entries(column.metrics)) out[`${column.name}_${scoreFunction}_${metric}`] = value;
    for (const key of SPARSITY_KEYS) out[`${column.name}_${key}`] = column.sparsity[key];
  }
  return out;
}

/** Python's `round(v, 4)` as the card prints it: at most 4 decimals, no trailing zeros. */
export function formatCardValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toFixed(4));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

export function formatCardTable(columns: readonly DatasetResult[], scoreFunction: string = SCORE_FUNCTION_NAME): string {
  const header = ["Metric", ...columns.map((c) => c.name)];
  const body = reportRows(columns, scoreFunction).map((row) => [row.label, ...row.values.map(formatCardValue)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...body.map(line)].join("\n") + "\n";
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(columns: readonly DatasetResult[], scoreFunction: string = SCORE_FUNCTION_NAME): string {
  const header = ["metric", ...columns.map((c) => c.name)];
  const body = reportRows(columns, scoreFunction).map((row) => [row.label, ...row.values.map((v) => String(v))]);
  return [header, ...body].map((cells) => cells.map(csvCell).join(",")).join("\n") + "\n";
}
