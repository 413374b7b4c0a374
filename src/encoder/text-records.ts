/**
 * Streaming the texts of an input file, one record at a time, for `splade encode` / `splade tokenize`:
 *
 * - JSONL: one object per line with a string `text`; `_id` (BEIR) or `id` is carried along; with `title`,
 *   a non-empty `title` field is prepended with a space, as BEIR does for title + text. Blank lines are skipped.
 * - plain text: one text per line (blank lines are empty texts, so output lines match input lines).
 *
 * "auto" picks JSONL for a .jsonl file or a first line that starts with "{". Lines are read by util/jsonl.ts
 * (UTF-8 checked, CRLF handled); malformed lines are INVALID_FILE naming the file and the line.
 */
import { readJsonlObjects, readLines } from "../util/jsonl.js";
import { SpladeError } from "../util/errors.js";

export interface TextRecord {
  /** `_id` or `id` as written (BEIR ids are strings; numbers stay numbers). */
  id?: string | number;
  text: string;
}

export interface ReadTextRecordsOptions {
  format?: "auto" | "jsonl" | "text";
  /** JSONL: prepend `title` + " " to `text` when the record has a non-empty title. */
  title?: boolean;
}

function toRecord(record: Record<string, unknown>, where: string, title: boolean): TextRecord {
  if (typeof record.text !== "string") throw new SpladeError("INVALID_FILE", `${where}: expected a string field "text"`);
  const rawId = record._id ?? record.id;
  if (rawId !== undefined && typeof rawId !== "string" && typeof rawId !== "number") {
    throw new SpladeError("INVALID_FILE", `${where}: "_id"/"id" must be a string or a number`);
  }
  const text = title && typeof record.title === "string" && record.title !== "" ? `${record.title} ${record.text}` : record.text;
  return rawId === undefined ? { text } : { id: rawId, text };
}

/** "jsonl" for a .jsonl file or one whose first line starts with "{", else "text". */
async function detectFormat(path: string): Promise<"jsonl" | "text"> {
  if (path.endsWith(".jsonl")) return "jsonl";
  for await (const line of readLines(path)) return line.text.replace(/^\uFEFF/, "").trimStart().startsWith("{") ? "jsonl" : "text";
  return "text";
}

/** Yields the records of `path` in file order, reading it as a stream (bounded memory). */
export async function* readTextRecords(path: string, options: ReadTextRecordsOptions = {}): AsyncGenerator<TextRecord> {
  const format = options.format === undefined || options.format === "auto" ? await detectFormat(path) : options.format;
  if (format === "text") {
    for await (const { text, lineNumber } of readLines(path)) yield { text: lineNumber === 1 ? text.replace(/^\uFEFF/, "") : text };
    return;
  }
  for await (const { record, where } of readJsonlObjects(path)) yield toRecord(record, where, options.title ?? false);
}

/** Groups an async stream into arrays of at most `size` items. */
export async function* chunked<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
