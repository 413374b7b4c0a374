// Card-shaped reports: row order, upstream key names, the card's number format, CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { flatMetrics, formatCardTable, formatCardValue, formatCsv, reportRows } from "../../src/eval/report.js";
import type { DatasetResult } from "../../src/eval/encoded-evaluation.js";

function column(name: string, ndcg: number): DatasetResult {
  const counts = { vocabSize: 4, vectorCount: 1, activeTotal: 1, dimCounts: new Float64Array(4) };
  return {
    name,
    queryCount: 2,
    corpusCount: 3,
    metrics: { "accuracy@1": 0.5, "ndcg@10": ndcg },
    sparsity: { query_active_dims: 23.62, query_sparsity_ratio: 0.99922613, corpus_active_dims: 86.92857, corpus_sparsity_ratio: 0.9971, avg_flops: 1.5 },
    sparsityCounts: { query: counts, corpus: counts },
  };
}

test("values print as the card prints them (Python round(v, 4))", () => {
  assert.equal(formatCardValue(0.38), "0.38");
  assert.equal(formatCardValue(32 / 49), "0.6531");
  assert.equal(formatCardValue(23.62), "23.62");
  assert.equal(formatCardValue(1), "1");
  assert.equal(formatCardValue(0), "0");
  assert.equal(formatCardValue(-0.00001), "0");
});

test("rows: dot_ metrics in order, then the five sparsity statistics", () => {
  const rows = reportRows([column("NanoMSMARCO", 0.62), column("NanoNQ", 0.64)]);
  assert.deepEqual(
    rows.map((r) => r.label),
    ["dot_accuracy@1", "dot_ndcg@10", "query_active_dims", "query_sparsity_ratio", "corpus_active_dims", "corpus_sparsity_ratio", "avg_flops"],
  );
  assert.deepEqual(rows[1].values, [0.62, 0.64]);
});

test("flat keys follow upstream: {dataset}_dot_{metric}, {dataset}_{sparsity key}", () => {
  const flat = flatMetrics([column("NanoMSMARCO", 0.62), column("NanoBEIR_mean", 0.6)]);
  assert.equal(flat["NanoMSMARCO_dot_ndcg@10"], 0.62);
  assert.equal(flat["NanoBEIR_mean_dot_accuracy@1"], 0.5);
  assert.equal(flat["NanoMSMARCO_query_active_dims"], 23.62);
  assert.equal(flat["NanoBEIR_mean_avg_flops"], 1.5);
  assert.equal(Object.keys(flat).length, 2 * 7);
});

test("Markdown table and CSV", () => {
  const table = formatCardTable([column("NanoMSMARCO", 0.62271), column("NanoNQ", 0.64)]);
  const lines = table.trimEnd().split("\n");
  assert.equal(lines.length, 2 + 7);
  assert.match(lines[0], /^\| Metric +\| NanoMSMARCO \| +NanoNQ \|$/);
  assert.match(lines[3], /^\| dot_ndcg@10 +\| +0\.6227 \| +0\.64 \|$/);
  assert.match(lines[5], /^\| query_sparsity_ratio +\| +0\.9992 \|/);
  const csv = formatCsv([column("a,b", 0.5)]).split("\n");
  assert.equal(csv[0], 'metric,"a,b"');
  assert.equal(csv[2], "dot_ndcg@10,0.5");
});
