/**
 * Reading relevance judgments from text files, in either of the two formats in use:
 * - BEIR TSV (`qrels/<split>.tsv`): a header line `query-id<TAB>corpus-id<TAB>score`, then one
 *   `qid<TAB>docid<TAB>grade` line per judgment (BEIR's GenericDataLoader skips the header the same way).
 * - TREC qrels: `qid iteration docid grade` per line, whitespace-separated, no header (trec_eval's format;
 *   the iteration column is ignored, as trec_eval does).
 * The format is recognised from the first line. Blank lines are skipped. The same (query, document) pair
 * twice with the same grade is accepted; with different grades it is an error, since either choice would
 * silently change the numbers.
 */
import { readFileSync } from "node:fs";
import { SpladeError } from "../util/errors.js";
import type { Qrels } from "./judgments.js";

/** Mutable qrels being built; `Qrels` once done. */
export type QrelsBuilder = Map<string, Map<string, number>>;

/** Adds one judgment; `where` names the file and line for the error message. */
export function addJudgment(qrels: QrelsBuilder, queryId: string, docId: string, grade: number, where: string): void {
  if (!Number.isFinite(grade)) throw new SpladeError("INVALID_FILE", `${where}: relevance is not a number`);
  let judgments = qrels.get(queryId);
  if (judgments === undefined) {
    judgments = new Map();
    qrels.set(queryId, judgments);
  }
  const previous = judgments.get(docId);
  if (previous !== undefined && previous !== grade) {
    throw new SpladeError(
      "INVALID_FILE",
      `${where}: query ${queryId} judges document ${docId} twice, with relevance ${previous} and ${grade}`,
    );
  }
  judgments.set(docId, grade);
}

const BEIR_HEADER = /^query-id\tcorpus-id\tscore$/;

/** Parses qrels text (BEIR TSV or TREC). `path` is only used in error messages. */
export function parseQrels(text: string, path: string): Qrels {
  const qrels: QrelsBuilder = new Map();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let format: "beir" | "trec" | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `${path}:${index + 1}`;
    if (format === undefined) {
      if (BEIR_HEADER.test(line.trim())) {
        format = "beir";
        return;
      }
      const fields = line.trim().split(/\s+/);
      if (fields.length === 4) format = "trec";
      else if (fields.length === 3) format = "beir";
      else {
        throw new SpladeError(
          "INVALID_FILE",
          `${where}: not a qrels file: expected "query-id<TAB>corpus-id<TAB>score" (BEIR) or "qid iter docid rel" (TREC), got ${fields.length} fields`,
          { path },
        );
      }
    }
    const fields = format === "beir" && line.includes("\t") ? line.split("\t").map((f) => f.trim()) : line.trim().split(/\s+/);
    const expected = format === "beir" ? 3 : 4;
    if (fields.length !== expected) {
      throw new SpladeError("INVALID_FILE", `${where}: expected ${expected} fields (${format} qrels), got ${fields.length}`, {
        path,
      });
    }
    const [queryId, docId, gradeText] = format === "beir" ? fields : [fields[0], fields[2], fields[3]];
    if (queryId === "" || docId === "") throw new SpladeError("INVALID_FILE", `${where}: empty query or document id`, { path });
    addJudgment(qrels, queryId, docId, gradeText.trim() === "" ? NaN : Number(gradeText), where);
  });
  if (qrels.size === 0) throw new SpladeError("INVALID_FILE", `${path}: no judgments`, { path });
  return qrels;
}

/** Reads a qrels file (BEIR TSV or TREC). */
export function readQrelsFile(path: string): Qrels {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code === "ENOENT" ? "FILE_NOT_FOUND" : "INVALID_FILE";
    throw new SpladeError(code, `cannot read qrels file ${path}: ${(cause as Error).message}`, { path, cause });
  }
  return parseQrels(text, path);
}
