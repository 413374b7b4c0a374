/**
 * Reading the inputs of `splade index` / `splade search`, streaming: BEIR corpus lines
 * {"_id", "title", "text"} and query lines {"_id", "text"}. Ids may be JSON numbers (used as strings).
 * Errors name the file and line. With `title`, the text to encode is `title + " " + text` (BEIR's
 * convention; an empty title is skipped).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { SpladeError } from "../util/errors.js";

export interface CorpusRecord {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

async function* jsonlObjects(path: string): AsyncGenerator<{ record: Record<string, unknown>; where: string }> {
  try {
    if (!(await stat(path)).isFile()) throw new Error("not a file");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path} not found`, { path, cause });
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") continue;
    const where = `${path}:${lineNumber}`;
    let record: unknown;
    try {
      record = JSON.parse(lineNumber === 1 ? line.replace(/^\uFEFF/, "") : line);
    } catch (cause) {
      throw new SpladeError("INVALID_FILE", `${where}: not valid JSON (${(cause as Error).message})`, { path, cause });
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) throw new SpladeError("INVALID_FILE", `${where}: expected a JSON object`, { path });
    yield { record: record as Record<string, unknown>, where };
  }
}

function idOf(record: Record<string, unknown>, where: string): string {
  const id = record._id;
  if (typeof id === "string" && id !== "") return id;
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  throw new SpladeError("INVALID_FILE", `${where}: "_id" must be a non-empty string`);
}

function stringField(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field] ?? "";
  if (typeof value !== "string") throw new SpladeError("INVALID_FILE", `${where}: "${field}" must be a string`);
  return value;
}

export async function* readCorpus(path: string): AsyncGenerator<CorpusRecord> {
  for await (const { record, where } of jsonlObjects(path)) {
    yield { id: idOf(record, where), title: stringField(record, "title", where), text: stringField(record, "text", where) };
  }
}

export async function readQueries(path: string): Promise<Array<{ id: string; text: string }>> {
  const queries: Array<{ id: string; text: string }> = [];
  for await (const { record, where } of jsonlObjects(path)) queries.push({ id: idOf(record, where), text: stringField(record, "text", where) });
  return queries;
}

/** The text a corpus record is encoded from. */
export function corpusText(record: CorpusRecord, withTitle: boolean): string {
  return withTitle && record.title !== "" ? `${record.title} ${record.text}` : record.text;
}

/** Non-blank lines of a file (a progress total), counted without parsing. */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== "") count++;
  return count;
}
