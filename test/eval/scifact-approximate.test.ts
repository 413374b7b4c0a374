/**
 * SciFact with BM25 (test/data/scifact, the unchanged BEIR copy), as `splade eval --model bm25 --beir … --title
 * --conventions trec` runs it: the exact search gives the published Anserini figures (nDCG@10 0.6718,
 * recall@100 0.9213), and the index's approximate search with its default knobs loses at most 0.005 nDCG@10
 * against it (issue #13; measured: 0.6731, i.e. none lost).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateModel } from "../../src/app/evaluate.js";
import { openEvaluationModel } from "../../src/app/evaluation-model.js";
import { loadBeirDataset } from "../../src/eval/beir.js";

const SCIFACT = "test/data/scifact";

async function ndcg10(approximate?: true) {
  const model = await openEvaluationModel("bm25");
  try {
    const [result] = await evaluateModel({
      model,
      datasets: [() => loadBeirDataset(SCIFACT, { title: true })],
      conventions: "trec",
      ...(approximate ? { approximate } : {}),
    });
    return result.metrics;
  } finally {
    await model.release?.();
  }
}

test("SciFact BM25: exact search gives Anserini's figures; --approximate loses at most 0.005 nDCG@10", async () => {
  const exact = await ndcg10();
  assert.equal(exact["ndcg@10"].toFixed(4), "0.6718");
  assert.equal(exact["recall@100"].toFixed(4), "0.9213");
  const approximate = await ndcg10(true);
  const loss = exact["ndcg@10"] - approximate["ndcg@10"];
  assert.ok(loss <= 0.005, `approximate nDCG@10 ${approximate["ndcg@10"].toFixed(4)} loses ${loss.toFixed(4)} against exact ${exact["ndcg@10"].toFixed(4)}`);
  assert.ok(approximate["recall@100"] >= exact["recall@100"] - 0.02, `approximate recall@100 ${approximate["recall@100"].toFixed(4)}`);
});
