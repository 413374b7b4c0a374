// The NanoBEIR mean reproduces the seed card's own aggregate tables from its per-dataset table
// (fixtures/seed-model-card.md is the card, copied verbatim from shared/seed). The card rounds every value
// to 4 decimals, so means of rounded values may differ from the card's rounded means by up to 1e-4.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { nanoBeirMean } from "../../src/eval/nanobeir-mean.js";
import type { DatasetResult } from "../../src/eval/encoded-evaluation.js";
import type { SparsityCounts } from "../../src/eval/sparsity.js";

const card = readFileSync(new URL("./fixtures/seed-model-card.md", import.meta.url), "utf8").split("\n");
const V = 30522;

/** The rows of the card table that starts at the line `header`, until the first blank line. */
function cardTable(header: string, occurrence = 0): Map<string, string[]> {
  const starts = card.flatMap((line, i) => (line.startsWith(header) ? [i] : []));
  const rows = new Map<string, string[]>([["Metric", card[starts[occurrence]].split(" ").slice(1)]]);
  for (let i = starts[occurrence] + 1; i < card.length && card[i].trim() !== ""; i++) {
    const [label, ...values] = card[i].split(" ");
    rows.set(label, values);
  }
  return rows;
}

const perDataset = cardTable("Metric NanoMSMARCO");
const datasets = perDataset.get("Metric")!;
const metricLabels = [...perDataset.keys()].filter((label) => label.startsWith("dot_"));

// Evaluated queries per dataset: 50, except NanoTouche2020 with 49 (its accuracy@1 0.6531 = 32/49).
const queryCount = (name: string) => (name === "NanoTouche2020" ? 49 : 50);
// Corpus sizes of the three datasets of the card's first aggregate (NanoMSMARCO's is in upstream's docstring).
const corpusSizes: Record<string, number> = { NanoMSMARCO: 5043, NanoNFCorpus: 2953, NanoNQ: 5035 };

function counts(vectorCount: number, activeDims: number): SparsityCounts {
  return { vocabSize: V, vectorCount, activeTotal: activeDims * vectorCount, dimCounts: new Float64Array(V) };
}

function cardColumn(name: string): DatasetResult {
  const column = datasets.indexOf(name);
  const value = (label: string) => Number(perDataset.get(label)![column]);
  const metrics = Object.fromEntries(metricLabels.map((label) => [label.slice("dot_".length), value(label)]));
  const nq = queryCount(name);
  const nd = corpusSizes[name] ?? 1000;
  return {
    name,
    queryCount: nq,
    corpusCount: nd,
    metrics,
    sparsity: {
      query_active_dims: value("query_active_dims"),
      query_sparsity_ratio: value("query_sparsity_ratio"),
      corpus_active_dims: value("corpus_active_dims"),
      corpus_sparsity_ratio: value("corpus_sparsity_ratio"),
      avg_flops: 0,
    },
    sparsityCounts: { query: counts(nq, value("query_active_dims")), corpus: counts(nd, value("corpus_active_dims")) },
  };
}

function assertNear(actual: number, expected: number, label: string) {
  assert.ok(Math.abs(actual - expected) <= 1e-4, `${label}: ${actual} vs card ${expected}`);
}

test("mean of msmarco, nfcorpus, nq: retrieval unweighted, corpus sparsity weighted by corpus size", () => {
  const expected = cardTable("Metric Value", 0);
  const mean = nanoBeirMean(["NanoMSMARCO", "NanoNFCorpus", "NanoNQ"].map(cardColumn));
  assert.equal(mean.name, "NanoBEIR_mean");
  for (const label of metricLabels) assertNear(mean.metrics[label.slice(4)], Number(expected.get(label)![0]), label);
  for (const key of ["query_active_dims", "query_sparsity_ratio", "corpus_active_dims", "corpus_sparsity_ratio"] as const) {
    assertNear(mean.sparsity[key], Number(expected.get(key)![0]), key);
  }
  // An unweighted mean of corpus_active_dims would be 120.49, far from the card's 113.3954.
  assert.ok(Math.abs((86.9286 + 164.7944 + 109.7591) / 3 - Number(expected.get("corpus_active_dims")![0])) > 1);
});

test("mean of all 13 datasets: retrieval unweighted, query sparsity weighted by query count", () => {
  const expected = cardTable("Metric Value", 1);
  const mean = nanoBeirMean(datasets.map(cardColumn));
  for (const label of metricLabels) assertNear(mean.metrics[label.slice(4)], Number(expected.get(label)![0]), label);
  assertNear(mean.sparsity.query_active_dims, Number(expected.get("query_active_dims")![0]), "query_active_dims");
  assertNear(mean.sparsity.query_sparsity_ratio, Number(expected.get("query_sparsity_ratio")![0]), "query_sparsity_ratio");
  assert.equal(mean.queryCount, 12 * 50 + 49);
});

test("avg_flops of the mean is recomputed from pooled counts, not averaged", () => {
  const make = (name: string, q: number[], d: number[]): DatasetResult => {
    const query = { vocabSize: 2, vectorCount: 1, activeTotal: q[0] + q[1], dimCounts: Float64Array.from(q) };
    const corpus = { vocabSize: 2, vectorCount: 1, activeTotal: d[0] + d[1], dimCounts: Float64Array.from(d) };
    const flops = q[0] * d[0] + q[1] * d[1];
    const stats = { query_active_dims: 0, query_sparsity_ratio: 0, corpus_active_dims: 0, corpus_sparsity_ratio: 0, avg_flops: flops };
    return { name, queryCount: 1, corpusCount: 1, metrics: { "ndcg@10": 0 }, sparsity: stats, sparsityCounts: { query, corpus } };
  };
  // Dataset A uses only dim 0, B only dim 1: each has FLOPS 1, the pooled collection 2 · (1/2 · 1/2) = 0.5.
  const mean = nanoBeirMean([make("A", [1, 0], [1, 0]), make("B", [0, 1], [0, 1])]);
  assert.equal(mean.sparsity.avg_flops, 0.5);
});
