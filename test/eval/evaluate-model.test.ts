// The `splade eval` use case with a toy model (a bag of letters as vectors, brute-force search): datasets in
// order, the NanoBEIR mean and its name suffix, progress, argument checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateModel, type EvaluationModel } from "../../src/app/evaluate.js";
import type { RetrievalDataset } from "../../src/eval/dataset.js";
import { isSpladeError } from "../../src/util/errors.js";
import { bruteForceSearch, vec } from "./helpers/brute-force.js";

/** Letters a–z as dimensions 0–25, weight = count; maxActiveDims keeps the most frequent letters. */
function letters(text: string, maxActiveDims?: number) {
  const counts: Record<number, number> = {};
  for (const ch of text.toLowerCase()) if (ch >= "a" && ch <= "z") counts[ch.charCodeAt(0) - 97] = (counts[ch.charCodeAt(0) - 97] ?? 0) + 1;
  const kept = Object.entries(counts).sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0])).slice(0, maxActiveDims ?? 26);
  return vec(Object.fromEntries(kept));
}

const seen: string[] = [];
const toy: EvaluationModel = {
  vocabSize: 26,
  async encodeQueries(texts, options) {
    seen.push(`queries:${texts.length}:${options.batchSize}:${options.maxActiveDims}`);
    options.onProgress?.(texts.length, texts.length);
    return texts.map((t) => letters(t, options.maxActiveDims));
  },
  async encodeDocuments(texts, options) {
    seen.push(`documents:${texts.length}`);
    return texts.map((t) => letters(t, options.maxActiveDims));
  },
  exactSearch: bruteForceSearch,
};

function dataset(name: string, relevant: string): RetrievalDataset {
  return {
    name,
    corpus: { ids: ["x", "y", "z"], texts: ["xxx", "yyy", "zzz"] },
    queries: { ids: ["q", "unjudged"], texts: [relevant.repeat(2), "abc"] },
    qrels: new Map([["q", new Map([[relevant, 1]])]]),
  };
}

test("evaluates datasets in order, encodes only judged queries, appends the NanoBEIR mean", async () => {
  seen.length = 0;
  const phases: string[] = [];
  const results = await evaluateModel({
    model: toy,
    datasets: [async () => dataset("NanoA", "x"), async () => dataset("NanoB", "w")],
    conventions: "st",
    nanoBeir: true,
    onProgress: (p) => phases.push(`${p.datasetIndex}/${p.datasetCount}:${p.phase}`),
  });
  assert.deepEqual(results.map((r) => r.name), ["NanoA", "NanoB", "NanoBEIR_mean"]);
  assert.equal(results[0].metrics["ndcg@10"], 1); // "xx" retrieves x
  assert.equal(results[1].metrics["ndcg@10"], 0); // "ww" shares no letter with any document: nothing retrieved
  assert.equal(results[2].metrics["ndcg@10"], 0.5);
  assert.deepEqual(Object.keys(results[0].metrics).slice(-3), ["ndcg@10", "mrr@10", "map@100"]);
  assert.deepEqual(seen, ["queries:1:32:undefined", "documents:3", "queries:1:32:undefined", "documents:3"]);
  assert.ok(phases.includes("1/2:encode-queries") && phases.includes("0/2:search"));
});

test("max active dims: passed to the encoder, suffix on NanoBEIR names; trec adds recall@100/1000", async () => {
  seen.length = 0;
  const results = await evaluateModel({
    model: toy,
    datasets: [async () => dataset("NanoA", "x"), async () => dataset("NanoB", "y")],
    conventions: "trec",
    nanoBeir: true,
    maxActiveDims: 1,
    batchSize: 4,
  });
  assert.deepEqual(results.map((r) => r.name), ["NanoA_1", "NanoB_1", "NanoBEIR_mean_1"]);
  assert.equal(seen[0], "queries:1:4:1");
  assert.ok("recall@1000" in results[0].metrics);
  const single = await evaluateModel({ model: toy, datasets: [async () => dataset("scifact", "x")], conventions: "st", maxActiveDims: 1 });
  assert.deepEqual(single.map((r) => r.name), ["scifact"]);
});

test("bad arguments are rejected", async () => {
  const base = { model: toy, datasets: [async () => dataset("A", "x")], conventions: "st" as const };
  await assert.rejects(evaluateModel({ ...base, batchSize: 0 }), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
  await assert.rejects(evaluateModel({ ...base, maxActiveDims: 1.5 }), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
  await assert.rejects(evaluateModel({ ...base, datasets: [] }), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});
