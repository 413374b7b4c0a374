/**
 * `npm run bench -- int8-fidelity --model <folder> [--beir ../shared/data/scifact] [--split test] [--threads 2]
 *   [--batch-size 32]`: what int8 dynamic quantization (SparseEncoder's quantize "int8", encoder/quantize.ts)
 * costs in retrieval quality on a trained model (issue #14: random weights say little). The model encodes the
 * BEIR corpus (title + text) and the split's queries twice, fp32 and int8; both are scored with the
 * sentence-transformers evaluator's conventions (nDCG@10 as `splade eval`), and compared:
 *   - nDCG@10 of each and the difference (acceptance: int8 loses ≤ 0.01);
 *   - top-10 overlap: |top10_fp32 ∩ top10_int8| / 10 per query, averaged (exact dot-product search);
 *   - mean cosine between the fp32 and int8 vectors of each query and document, and mean active dimensions.
 * It re-runs after any change of the int8 encoder path. Quality, not speed: run it under cpu-shared.
 */
import { defaultCutoffs } from "../src/app/evaluate.js";
import { evaluationModel } from "../src/app/evaluation-model.js";
import { createSpladeEncoder } from "../src/app/splade-document-encoder.js";
import { evaluatedQueries } from "../src/eval/dataset.js";
import { loadBeirDataset } from "../src/eval/beir.js";
import { evaluateEncoded } from "../src/eval/encoded-evaluation.js";
import { dot } from "../src/sparse/ops.js";
import type { SparseVector } from "../src/sparse/vector.js";
import { SHARED } from "./_paths.js";

function option(args: string[], name: string, fallback?: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

function cosine(a: SparseVector, b: SparseVector): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  return na > 0 && nb > 0 ? dot(a, b) / (na * nb) : na === nb ? 1 : 0;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

export async function main(args: string[]): Promise<void> {
  const model = option(args, "model");
  if (!model) {
    console.error("usage: npm run bench -- int8-fidelity --model <trained SPLADE folder> [--beir <dir>] [--split test] [--threads 2]");
    process.exitCode = 2;
    return;
  }
  const beir = option(args, "beir", `${SHARED}/data/scifact`)!;
  const split = option(args, "split", "test")!;
  const threads = Number(option(args, "threads", "2"));
  const batchSize = Number(option(args, "batch-size", "32"));
  const dataset = await loadBeirDataset(beir, { split, title: true });
  const queries = evaluatedQueries(dataset);
  const runs = [];
  for (const quantize of [undefined, "int8"] as const) {
    const t0 = performance.now();
    const m = evaluationModel(await createSpladeEncoder(model, { threads, ...(quantize ? { quantize } : {}) }));
    const queryVectors = await m.encodeQueries(queries.texts, { batchSize });
    const corpusVectors = await m.encodeDocuments(dataset.corpus.texts, { batchSize });
    const search = m.exactSearch(corpusVectors);
    const result = evaluateEncoded(
      { name: dataset.name, queryIds: queries.ids, queryVectors, corpusIds: dataset.corpus.ids, corpusVectors, qrels: dataset.qrels },
      search,
      { conventions: "st", cutoffs: defaultCutoffs("st"), vocabSize: m.vocabSize },
    );
    const top10 = search(queryVectors, 10).map((hits) => hits.map((h) => h.doc));
    await m.release?.();
    const name = quantize ?? "fp32";
    const ndcg = result.metrics["ndcg@10"];
    runs.push({ name, ndcg, top10, queryVectors, corpusVectors, sparsity: result.sparsity, seconds: (performance.now() - t0) / 1000 });
    console.log(`${name}: nDCG@10 ${ndcg.toFixed(4)}, ${JSON.stringify(result.sparsity)} (${runs.at(-1)!.seconds.toFixed(0)} s)`);
  }
  const [fp32, int8] = runs;
  const overlap = mean(fp32.top10.map((docs, q) => docs.filter((d) => int8.top10[q].includes(d)).length / 10));
  const cosQ = mean(fp32.queryVectors.map((v, i) => cosine(v, int8.queryVectors[i])));
  const cosD = mean(fp32.corpusVectors.map((v, i) => cosine(v, int8.corpusVectors[i])));
  const delta = int8.ndcg - fp32.ndcg;
  console.log(JSON.stringify({ model, dataset: dataset.name, split, queries: queries.ids.length, documents: dataset.corpus.ids.length, ndcg10_fp32: Number(fp32.ndcg.toFixed(4)), ndcg10_int8: Number(int8.ndcg.toFixed(4)), delta: Number(delta.toFixed(4)), top10_overlap: Number(overlap.toFixed(4)), cosine_queries: Number(cosQ.toFixed(4)), cosine_documents: Number(cosD.toFixed(4)) }));
  console.log(`int8 against fp32 on ${dataset.name} ${split}: nDCG@10 ${fp32.ndcg.toFixed(4)} → ${int8.ndcg.toFixed(4)} (${delta >= 0 ? "+" : ""}${delta.toFixed(4)}; acceptance: a loss ≤ 0.01 → ${-delta <= 0.01 ? "met" : "NOT met"}), top-10 overlap ${(100 * overlap).toFixed(1)} %`);
}
