// The report files: JSON with settings, per-dataset results and upstream's flat keys; CSV beside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvPathFor, writeEvaluationReport } from "../../src/eval/report-files.js";
import type { DatasetResult } from "../../src/eval/encoded-evaluation.js";
import { tempDir } from "../helpers/temp-dir.js";

const counts = { vocabSize: 2, vectorCount: 1, activeTotal: 1, dimCounts: new Float64Array(2) };
const column: DatasetResult = {
  name: "scifact",
  queryCount: 300,
  corpusCount: 5183,
  metrics: { "ndcg@10": 0.6718 },
  sparsity: { query_active_dims: 1, query_sparsity_ratio: 0.5, corpus_active_dims: 1, corpus_sparsity_ratio: 0.5, avg_flops: 0.25 },
  sparsityCounts: { query: counts, corpus: counts },
};

test("writes JSON and CSV; JSON leaves count vectors out", () => {
  const path = join(tempDir("splade-report-"), "out", "scifact.json");
  const written = writeEvaluationReport(path, {
    settings: { model: "bm25", conventions: "trec", maxActiveDims: null, data: { beir: "scifact", split: "test", title: true } },
    columns: [column],
  });
  assert.equal(written.csv, path.replace(/\.json$/, ".csv"));
  const json = JSON.parse(readFileSync(path, "utf8"));
  assert.equal(json.model, "bm25");
  assert.equal(json.conventions, "trec");
  assert.deepEqual(json.datasets[0], { name: "scifact", queries: 300, corpus: 5183, metrics: column.metrics, sparsity: column.sparsity });
  assert.equal(json.metrics["scifact_dot_ndcg@10"], 0.6718);
  assert.equal(json.metrics["scifact_avg_flops"], 0.25);
  assert.match(readFileSync(written.csv, "utf8"), /^metric,scifact\ndot_ndcg@10,0\.6718\n/);
  assert.equal(csvPathFor("results"), "results.csv");
});
