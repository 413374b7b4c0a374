/**
 * TREC run files: `qid Q0 docid rank score tag` per line, whitespace-separated (trec_eval's input format).
 * The rank column is checked to be an integer but not used: trec_eval ignores it and orders by score (see
 * ranking.ts for the tie-breaks). A document twice for the same query is an error, as in trec_eval.
 * Streams the file line by line: runs of 1,000 results for thousands of queries are large.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { SpladeError } from "../util/errors.js";
import type { ScoredDoc } from "./ranking.js";

/** query id → retrieved documents in file order. */
export type Run = Map<string, ScoredDoc[]>;

/** Adds one run line to `run` (with `seen`, the ids per query, for duplicate detection). */
export function addRunLine(run: Run, seen: Map<string, Set<string>>, line: string, where: string): void {
  const trimmed = line.trim();
  if (trimmed === "") return;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 6) {
    throw new SpladeError("INVALID_FILE", `${where}: expected 6 fields "qid Q0 docid rank score tag", got ${fields.length}`);
  }
  const [queryId, , docId, rankText, scoreText] = fields;
  if (!/^-?\d+$/.test(rankText)) throw new SpladeError("INVALID_FILE", `${where}: rank "${rankText}" is not an integer`);
  const score = Number(scoreText);
  if (!Number.isFinite(score)) throw new SpladeError("INVALID_FILE", `${where}: score "${scoreText}" is not a number`);
  let docs = run.get(queryId);
  let ids = seen.get(queryId);
  if (docs === undefined || ids === undefined) {
    docs = [];
    ids = new Set();
    run.set(queryId, docs);
    seen.set(queryId, ids);
  }
  if (ids.has(docId)) throw new SpladeError("INVALID_FILE", `${where}: document ${docId} appears twice for query ${queryId}`);
  ids.add(docId);
  docs.push({ docId, score });
}

/** Parses run text (small runs, tests). */
export function parseRun(text: string, path: string): Run {
  const run: Run = new Map();
  const seen = new Map<string, Set<string>>();
  text.split(/\r?\n/).forEach((line, i) => addRunLine(run, seen, line, `${path}:${i + 1}`));
  return run;
}

/** Reads a TREC run file. An empty file is a valid run (every query then scores 0). */
export async function readRunFile(path: string): Promise<Run> {
  try {
    if (!(await stat(path)).isFile()) throw new SpladeError("INVALID_FILE", `run file ${path} is not a file`, { path });
  } catch (cause) {
    if (cause instanceof SpladeError) throw cause;
    throw new SpladeError("FILE_NOT_FOUND", `run file ${path} not found`, { path, cause });
  }
  const run: Run = new Map();
  const seen = new Map<string, Set<string>>();
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      addRunLine(run, seen, lineNumber === 1 ? line.replace(/^\uFEFF/, "") : line, `${path}:${lineNumber}`);
    }
  } catch (cause) {
    if (cause instanceof SpladeError) throw new SpladeError(cause.code, cause.message, { path, cause });
    throw new SpladeError("INVALID_FILE", `cannot read run file ${path}: ${(cause as Error).message}`, { path, cause });
  } finally {
    lines.close();
  }
  return run;
}
