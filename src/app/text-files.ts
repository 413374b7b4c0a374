/**
 * Reading the inputs of `splade index` / `splade search`, streaming: BEIR corpus lines
 * {"_id", "title", "text"} and query lines {"_id", "text"}. Ids may be JSON numbers (used as strings).
 * Lines are read by util/jsonl.ts; errors name the file and line. With `title`, the text to encode is
 * `title + " " + text` (BEIR's convention; an empty title is skipped).
 */
import { SpladeError } from "../util/errors.js";
import { readJsonlObjects } from "../util/jsonl.js";

/** Non-blank lines of a file (a progress total), counted without parsing. */
export { countNonBlankLines as countLines } from "../util/jsonl.js";

export interface CorpusRecord {
  readonly id: string;
  readonly title: string;
  readonly text: string;
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
  for await (const { record, where } of readJsonlObjects(path)) {
    yield { id: idOf(record, where), title: stringField(record, "title", where), text: stringField(record, "text", where) };
  }
}

export async function readQueries(path: string): Promise<Array<{ id: string; text: string }>> {
  const queries: Array<{ id: string; text: string }> = [];
  for await (const { record, where } of readJsonlObjects(path)) queries.push({ id: idOf(record, where), text: stringField(record, "text", where) });
  return queries;
}

/** The text a corpus record is encoded from. */
export function corpusText(record: CorpusRecord, withTitle: boolean): string {
  return withTitle && record.title !== "" ? `${record.title} ${record.text}` : record.text;
}
