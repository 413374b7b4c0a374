/**
 * Use case `splade mine-negatives`: hard negatives for (query, positive) pairs from a retriever over a
 * corpus, like sentence-transformers' `util.mine_hard_negatives`:
 *   - each distinct query is searched once for its top `rangeMax` documents (BM25 over WordPiece, or a SPLADE
 *     model's exact search — any EvaluationModel);
 *   - candidates are the hits ranked in [rangeMin, rangeMax) that are not a positive of that query (by text:
 *     every positive the pairs give for the query is excluded);
 *   - `top` takes the first numNegatives candidates, `random` samples numNegatives of them (seeded);
 *   - output "triplet" writes one {query, positive, negative} row per negative (upstream's default),
 *     "n-tuple" one {query, positive, negative_1, …, negative_N} row per pair, skipping pairs with fewer
 *     than N candidates (as upstream).
 * Upstream defaults: num_negatives 3, range_min 0, sampling "top", output "triplet"; range_max, unbounded
 * upstream, defaults to 100 here (a search needs a k).
 */
import { readFileSync } from "node:fs";
import { Rng } from "../util/rng.js";
import { SpladeError } from "../util/errors.js";
import type { EvaluationModel } from "./evaluate.js";

export interface Pair {
  query: string;
  positive: string;
}

export interface MineNegativesOptions {
  numNegatives: number;
  rangeMin: number;
  rangeMax: number;
  samplingStrategy: "top" | "random";
  outputFormat: "triplet" | "n-tuple";
  seed: number;
}

export const MINE_DEFAULTS: MineNegativesOptions = { numNegatives: 3, rangeMin: 0, rangeMax: 100, samplingStrategy: "top", outputFormat: "triplet", seed: 42 };

/** Ranked corpus ordinals (best first) for each query. */
export interface Retriever {
  readonly corpus: readonly string[];
  search(queries: readonly string[], k: number): Promise<number[][]>;
}

export interface MinedNegatives {
  rows: Array<Record<string, string>>;
  stats: { pairs: number; queries: number; rows: number; skippedPairs: number; meanCandidates: number };
}

export async function mineHardNegatives(pairs: readonly Pair[], retriever: Retriever, o: MineNegativesOptions): Promise<MinedNegatives> {
  if (!(Number.isInteger(o.numNegatives) && o.numNegatives >= 1)) throw new SpladeError("INVALID_ARGUMENT", `num negatives must be a positive integer, got ${o.numNegatives}`);
  if (!(Number.isInteger(o.rangeMin) && Number.isInteger(o.rangeMax) && o.rangeMin >= 0 && o.rangeMax > o.rangeMin)) {
    throw new SpladeError("INVALID_ARGUMENT", `need 0 ≤ range-min < range-max, got ${o.rangeMin} and ${o.rangeMax}`);
  }
  const positives = new Map<string, Set<string>>();
  for (const p of pairs) {
    const set = positives.get(p.query) ?? new Set<string>();
    set.add(p.positive);
    positives.set(p.query, set);
  }
  const queries = [...positives.keys()];
  const hits = await retriever.search(queries, o.rangeMax);
  const candidates = new Map<string, string[]>();
  queries.forEach((q, i) => {
    const exclude = positives.get(q)!;
    const ranked = hits[i].slice(o.rangeMin, o.rangeMax).map((d) => retriever.corpus[d]);
    candidates.set(q, ranked.filter((text, k) => !exclude.has(text) && ranked.indexOf(text) === k));
  });
  const rng = new Rng(o.seed);
  const rows: Array<Record<string, string>> = [];
  let skippedPairs = 0;
  for (const p of pairs) {
    const pool = candidates.get(p.query)!;
    const chosen = o.samplingStrategy === "top" ? pool.slice(0, o.numNegatives) : rng.shuffle(pool.slice()).slice(0, o.numNegatives);
    if (o.outputFormat === "triplet") {
      if (chosen.length === 0) skippedPairs++;
      for (const negative of chosen) rows.push({ query: p.query, positive: p.positive, negative });
    } else if (chosen.length < o.numNegatives) {
      skippedPairs++;
    } else {
      const row: Record<string, string> = { query: p.query, positive: p.positive };
      chosen.forEach((n, k) => (row[`negative_${k + 1}`] = n));
      rows.push(row);
    }
  }
  const meanCandidates = queries.reduce((a, q) => a + candidates.get(q)!.length, 0) / Math.max(1, queries.length);
  return { rows, stats: { pairs: pairs.length, queries: queries.length, rows: rows.length, skippedPairs, meanCandidates } };
}

/** A Retriever from an EvaluationModel (BM25 or SPLADE) over `corpus` texts. */
export async function modelRetriever(model: EvaluationModel, corpus: readonly string[], batchSize = 32): Promise<Retriever> {
  const documents = await model.encodeDocuments(corpus, { batchSize });
  const search = model.exactSearch(documents);
  return {
    corpus,
    async search(queries, k) {
      const vectors = await model.encodeQueries(queries, { batchSize });
      return search(vectors, k).map((hs) => hs.map((h) => h.doc));
    },
  };
}

/** Reads `{query, positive}` JSONL (other fields ignored). */
export function readPairs(path: string): Pair[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path}: cannot read the pairs file`, { path, cause });
  }
  const pairs: Pair[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new SpladeError("INVALID_FILE", `${path}:${i + 1}: not valid JSON`, { path });
    }
    const { query, positive } = (r ?? {}) as Record<string, unknown>;
    if (typeof query !== "string" || typeof positive !== "string") throw new SpladeError("INVALID_FILE", `${path}:${i + 1}: needs string fields "query" and "positive"`, { path });
    pairs.push({ query, positive });
  });
  return pairs;
}

/** Document texts of a BEIR corpus.jsonl ({_id, title, text}); with `title`, "title text" as the evaluator. */
export function readBeirCorpusTexts(path: string, options: { title: boolean }): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path}: cannot read the corpus`, { path, cause });
  }
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      let r: { title?: unknown; text?: unknown };
      try {
        r = JSON.parse(l) as typeof r;
      } catch {
        throw new SpladeError("INVALID_FILE", `${path}:${i + 1}: not valid JSON`, { path });
      }
      if (typeof r.text !== "string") throw new SpladeError("INVALID_FILE", `${path}:${i + 1}: "text" must be a string`, { path });
      const title = typeof r.title === "string" ? r.title : "";
      return options.title && title !== "" ? `${title} ${r.text}` : r.text;
    });
}

/**
 * (query, positive) pairs of a BEIR split: every qrels line with a score > 0 gives the query's text and the
 * document's text ("title text" with `title`). qrels/<split>.tsv has a header line (query-id, corpus-id, score).
 */
export function readBeirPairs(dir: string, options: { split: string; title: boolean }): Pair[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch (cause) {
      throw new SpladeError("FILE_NOT_FOUND", `${path}: cannot read`, { path, cause });
    }
  };
  const docs = new Map<string, string>();
  const corpusPath = `${dir}/corpus.jsonl`;
  const texts = readBeirCorpusTexts(corpusPath, options);
  read(corpusPath)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .forEach((l, i) => docs.set(String((JSON.parse(l) as { _id: unknown })._id), texts[i]));
  const queries = new Map<string, string>();
  for (const l of read(`${dir}/queries.jsonl`).split("\n")) {
    if (l.trim() === "") continue;
    const r = JSON.parse(l) as { _id: unknown; text: unknown };
    queries.set(String(r._id), String(r.text));
  }
  const qrelsPath = `${dir}/qrels/${options.split}.tsv`;
  const pairs: Pair[] = [];
  read(qrelsPath)
    .split("\n")
    .slice(1)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const [qid, did, score] = line.split("\t");
      if (!(Number(score) > 0)) return;
      const query = queries.get(qid);
      const positive = docs.get(did);
      if (query === undefined || positive === undefined) throw new SpladeError("INVALID_FILE", `${qrelsPath}:${i + 2}: unknown query or document id`, { path: qrelsPath });
      pairs.push({ query, positive });
    });
  return pairs;
}
