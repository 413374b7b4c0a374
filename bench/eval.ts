/**
 * `npm run bench -- eval [--data ../shared/data/scifact] [--split test]`: BM25 over BERT WordPiece tokens on
 * a BEIR folder (SciFact by default, title + text, trec conventions), timed phase by phase, against a
 * baseline from the same run: the same evaluation with brute-force retrieval (every document scored by the
 * index's own BM25 impacts, sparse dot, full sort). Prints the metrics, whether both retrievals gave the
 * same metrics, the index/brute-force time ratio, and the total (the budget: under 10 s).
 */
import { join } from "node:path";
import { SHARED } from "./_paths.js";
import { loadBeirDataset } from "../src/eval/beir.js";
import { evaluatedQueries } from "../src/eval/dataset.js";
import { RUN_CUTOFFS } from "../src/eval/defaults.js";
import { evaluateEncoded, type SearchHit } from "../src/eval/encoded-evaluation.js";
import { createBm25Encoder } from "../src/app/bm25-encoder.js";
import { evaluationModel } from "../src/app/evaluation-model.js";
import { bm25AvgDocLength, bm25NormInverseTable, bm25QueryWeight, bm25TermImpact } from "../src/index/bm25.js";
import { BM25_DEFAULTS } from "../src/index/defaults.js";
import { dot } from "../src/sparse/ops.js";
import type { SparseVector } from "../src/sparse/vector.js";

function flag(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

/** Brute force with the index's arithmetic: float32 impacts per document, count·idf per query term. */
function bruteForce(corpus: readonly SparseVector[]) {
  const docLength = corpus.map((d) => d.values.reduce((a, b) => a + b, 0));
  const norm = bm25NormInverseTable(BM25_DEFAULTS, bm25AvgDocLength(docLength.reduce((a, b) => a + b, 0), corpus.length));
  const impacts = corpus.map((d, i) => ({ indices: d.indices, values: Float32Array.from(d.values, (tf) => bm25TermImpact(tf, docLength[i], norm)) }));
  const df = new Map<number, number>();
  for (const d of corpus) for (const t of d.indices) df.set(t, (df.get(t) ?? 0) + 1);
  return (queries: readonly SparseVector[], k: number): SearchHit[][] =>
    queries.map((q) => {
      const weighted = { indices: q.indices, values: Float32Array.from(q.indices, (t, i) => bm25QueryWeight(q.values[i], df.get(t) ?? 0, corpus.length)) };
      return impacts
        .map((d, doc) => ({ doc, score: dot(weighted, d) }))
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score || a.doc - b.doc)
        .slice(0, k);
    });
}

export async function main(args: string[]): Promise<void> {
  const data = flag(args, "--data", join(SHARED, "data/scifact"));
  const split = flag(args, "--split", "test");
  const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;
  const t0 = performance.now();
  const dataset = await loadBeirDataset(data, { split, title: true });
  const loadMs = ms(t0);
  const model = evaluationModel(createBm25Encoder());
  const queries = evaluatedQueries(dataset);
  let t = performance.now();
  const queryVectors = await model.encodeQueries(queries.texts, { batchSize: 32 });
  const corpusVectors = await model.encodeDocuments(dataset.corpus.texts, { batchSize: 32 });
  const encodeMs = ms(t);
  const encoded = { name: dataset.name, queryIds: queries.ids, queryVectors, corpusIds: dataset.corpus.ids, corpusVectors, qrels: dataset.qrels };
  const options = { conventions: "trec" as const, cutoffs: RUN_CUTOFFS, vocabSize: model.vocabSize };
  t = performance.now();
  const indexed = evaluateEncoded(encoded, model.exactSearch(corpusVectors), options);
  const indexMs = performance.now() - t;
  const totalMs = performance.now() - t0;
  t = performance.now();
  const brute = evaluateEncoded(encoded, bruteForce(corpusVectors), options);
  const bruteMs = performance.now() - t;
  const same = JSON.stringify(indexed.metrics) === JSON.stringify(brute.metrics);
  console.log(`${dataset.name} (${split}): ${indexed.queryCount} queries, ${indexed.corpusCount} documents`);
  console.log(`nDCG@10 ${indexed.metrics["ndcg@10"].toFixed(4)}  R@100 ${indexed.metrics["recall@100"].toFixed(4)}  R@1000 ${indexed.metrics["recall@1000"].toFixed(4)}  MRR@10 ${indexed.metrics["mrr@10"].toFixed(4)}`);
  console.log(`load ${loadMs}, tokenize ${encodeMs}, index build + search + metrics ${indexMs.toFixed(0)} ms; total ${totalMs.toFixed(0)} ms`);
  console.log(`baseline brute-force search + metrics ${bruteMs.toFixed(0)} ms: index/brute-force time ratio ${(indexMs / bruteMs).toFixed(3)}; same metrics: ${same}`);
}
