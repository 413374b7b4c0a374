/**
 * `npm run bench -- inference-free-scifact --init <dir> [--model <trained dir>…] [--threads 2] [--repeat 30] [--only eval|timing]`
 *
 * The inference-free recipe's numbers on BEIR SciFact test (../shared/data/scifact, title + text, 300 queries,
 * 5,183 documents, sentence-transformers conventions), all in one run, against BM25 as the baseline:
 *   - BM25 over WordPiece (the baseline: nDCG@10 0.6718, trec conventions; st conventions here);
 *   - "IDF-only lexical": the query weights of `--init` (IDF from `splade init-model --inference-free`) against
 *     documents as their sets of tokens (weight 1 per distinct non-special token, 512 tokens at most): the score
 *     is Σ idf(t) over the query tokens a document contains — BM25 without term frequency and length
 *     normalisation. Built as a Router whose both routes are SparseStaticEmbeddings, so `splade eval` scores it;
 *   - `--init` itself: the IDF queries with its untrained document MLM;
 *   - each `--model`: trained models.
 * For each: nDCG@10, query / document active dims, and the query encode time (one query per call, best of
 * `repeat` passes over the 300 queries after a warm-up; µs per query; a pass takes ~3 ms, so the default is 30:
 * a best of 3 read anywhere from 9.6 to 37 µs for the same route) — no onnxruntime session for a
 * SparseStaticEmbedding query route. Ratio = nDCG@10 / BM25's.
 * `--only eval` skips the timings (nDCG does not depend on load: run it under cpu-shared); `--only timing` skips
 * the evaluations (a short run for a quiet machine).
 */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateModel } from "../src/app/evaluate.js";
import { openEvaluationModel } from "../src/app/evaluation-model.js";
import { SparseEncoder } from "../src/encoder/index.js";
import { loadBeirDataset } from "../src/eval/beir.js";
import { evaluatedQueries } from "../src/eval/dataset.js";
import { writeSafetensors } from "../src/safetensors/index.js";
import { BertTokenizer } from "../src/tokenizer/index.js";
import { INFERENCE_FREE_MODULES } from "../src/train/init-inference-free.js";
import { perQueryUs } from "./inference-free.js";

const SCIFACT = "../shared/data/scifact";

function flags(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]] : []));
}

/** A Router of two SparseStaticEmbeddings: the init's IDF for queries, 1 per distinct token for documents. */
function idfLexicalModel(init: string, dir: string): void {
  const query = join(init, INFERENCE_FREE_MODULES.query);
  cpSync(query, join(dir, INFERENCE_FREE_MODULES.query), { recursive: true });
  const documents = join(dir, "document_0_SparseStaticEmbedding");
  cpSync(query, documents, { recursive: true });
  const tokenizer = BertTokenizer.fromModelDir(query);
  const ones = new Float32Array(tokenizer.vocabSize).fill(1);
  for (const special of ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]) ones[tokenizer.tokenToId(special)!] = 0;
  writeSafetensors(join(documents, "model.safetensors"), [{ name: "weight", dtype: "F32", shape: [ones.length], data: ones }], { format: "pt" });
  const type = "sentence_transformers.sparse_encoder.models.SparseStaticEmbedding.SparseStaticEmbedding";
  const router = {
    types: { [INFERENCE_FREE_MODULES.query]: type, document_0_SparseStaticEmbedding: type },
    structure: { query: [INFERENCE_FREE_MODULES.query], document: ["document_0_SparseStaticEmbedding"] },
    parameters: { default_route: "document", allow_empty_key: true },
  };
  writeFileSync(join(dir, "router_config.json"), JSON.stringify(router, null, 4));
  for (const f of ["modules.json", "config_sentence_transformers.json"]) writeFileSync(join(dir, f), readFileSync(join(init, f)));
}

async function queryUs(dir: string, queries: string[], repeat: number, threads: number): Promise<number> {
  const encoder = await SparseEncoder.fromPretrained(dir, { threads });
  try {
    return await perQueryUs(encoder, queries, repeat);
  } finally {
    await encoder.release();
  }
}

export async function main(args: string[]): Promise<void> {
  const [init] = flags(args, "init");
  if (!init) throw new Error("usage: npm run bench -- inference-free-scifact --init <dir> [--model <dir>…]");
  const threads = Number(flags(args, "threads")[0] ?? 2);
  const repeat = Number(flags(args, "repeat")[0] ?? 30);
  const only = flags(args, "only")[0];
  if (only !== undefined && only !== "eval" && only !== "timing") throw new Error(`--only: "eval" or "timing", not "${only}"`);
  const root = mkdtempSync(join(tmpdir(), "splade-if-bench-"));
  try {
    const lexical = join(root, "idf-lexical");
    mkdirSync(lexical);
    idfLexicalModel(init, lexical);
    const dataset = await loadBeirDataset(SCIFACT, { split: "test", title: true });
    const queries = [...evaluatedQueries(dataset).texts];
    const rows: Array<Record<string, unknown>> = [];
    let bm25: number | undefined;
    for (const [name, spec] of [["BM25", "bm25"], ["IDF-only lexical", lexical], ["init (untrained)", init], ...flags(args, "model").map((m) => [m, m])]) {
      const row: Record<string, unknown> = { name };
      if (only !== "timing") {
        const model = await openEvaluationModel(spec, {});
        const t0 = Date.now();
        const [result] = await evaluateModel({ model, datasets: [async () => dataset], conventions: "st" });
        await model.release?.();
        const ndcg = result.metrics["ndcg@10"];
        bm25 ??= ndcg;
        Object.assign(row, { ndcg10: +ndcg.toFixed(4), ratio_to_bm25: +(ndcg / bm25).toFixed(3), query_active_dims: +result.sparsity.query_active_dims.toFixed(1),
          corpus_active_dims: +result.sparsity.corpus_active_dims.toFixed(1), eval_s: (Date.now() - t0) / 1000 });
      }
      if (only !== "eval" && spec !== "bm25") row.query_us = +(await queryUs(spec, queries, repeat, threads)).toFixed(1);
      rows.push(row);
      console.log(JSON.stringify(rows[rows.length - 1]));
    }
    console.log(JSON.stringify({ bench: "inference-free-scifact", threads, queries: queries.length, rows }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
