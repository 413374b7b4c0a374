/**
 * Real SPLADE query vectors for the search benchmark (files starting with "_" are not benchmarks):
 * ../shared/data/msmarco-dev-splade-queries/*.tsv.gz, produced by naver/splade-cocondenser-ensembledistil
 * (via Anserini). Each line is `qid<TAB>` then each WordPiece token repeated round(weight × 100) times;
 * weight = count / 100, tokens mapped to ids with the BERT vocabulary (assets/bert-base-uncased-vocab.txt).
 * The dev-small file is ~600 MB decompressed, so it is parsed as bytes: equal tokens come in runs, and only
 * one token per run is decoded.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { SparseVector } from "../src/sparse/vector.js";
import { fromEntries } from "../src/sparse/ops.js";

export interface SpladeQuery {
  readonly id: string;
  readonly vector: SparseVector;
}

export function loadVocab(path: string): Map<string, number> {
  const lines = readFileSync(path, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return new Map(lines.map((token, id) => [token, id]));
}

export function loadSpladeQueries(path: string, vocab: Map<string, number>): SpladeQuery[] {
  const bytes = gunzipSync(readFileSync(path));
  const queries: SpladeQuery[] = [];
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lineStart = i;
    while (i < n && bytes[i] !== 9 && bytes[i] !== 10) i++;
    if (bytes[i] !== 9) throw new Error(`${path}: line without a tab at byte ${lineStart}`);
    const id = bytes.toString("utf8", lineStart, i++);
    const entries: Array<[number, number]> = [];
    let runStart = 0;
    let runLength = 0;
    let runCount = 0;
    const flush = () => {
      if (runCount === 0) return;
      const token = bytes.toString("utf8", runStart, runStart + runLength);
      const term = vocab.get(token);
      if (term === undefined) throw new Error(`${path}: token ${JSON.stringify(token)} of query ${id} is not in the vocabulary`);
      entries.push([term, runCount / 100]);
    };
    while (i < n && bytes[i] !== 10) {
      const start = i;
      while (i < n && bytes[i] !== 32 && bytes[i] !== 10) i++;
      const length = i - start;
      if (length > 0) {
        let same = runCount > 0 && length === runLength;
        for (let k = 0; same && k < length; k++) same = bytes[start + k] === bytes[runStart + k];
        if (same) runCount++;
        else {
          flush();
          runStart = start;
          runLength = length;
          runCount = 1;
        }
      }
      if (bytes[i] === 32) i++;
    }
    flush();
    i++;
    queries.push({ id, vector: fromEntries(entries) });
  }
  return queries;
}
