/**
 * Streaming the texts of an input file, one record at a time, for `splade encode` / `splade tokenize`:
 *
 * - JSONL: one object per line with a string `text`; `_id` (BEIR) or `id` is carried along; with `title`,
 *   a non-empty `title` field is prepended with a space, as BEIR does for title + text. Blank lines are skipped.
 * - plain text: one text per line (blank lines are empty texts, so output lines match input lines).
 *
 * "auto" picks JSONL for a .jsonl file or a first line that starts with "{". Malformed lines are INVALID_FILE
 * naming the file and the line.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
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

function parseJsonLine(line: string, where: string, title: boolean): TextRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${where}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new SpladeError("INVALID_FILE", `${where}: expected a JSON object`);
  const record = json as Record<string, unknown>;
  if (typeof record.text !== "string") throw new SpladeError("INVALID_FILE", `${where}: expected a string field "text"`);
  const rawId = record._id ?? record.id;
  if (rawId !== undefined && typeof rawId !== "string" && typeof rawId !== "number") {
    throw new SpladeError("INVALID_FILE", `${where}: "_id"/"id" must be a string or a number`);
  }
  const text = title && typeof record.title === "string" && record.title !== "" ? `${record.title} ${record.text}` : record.text;
  return rawId === undefined ? { text } : { id: rawId, text };
}

/** Yields the records of `path` in file order, reading it as a stream (bounded memory). */
export async function* readTextRecords(path: string, options: ReadTextRecordsOptions = {}): AsyncGenerator<TextRecord> {
  try {
    if (!(await stat(path)).isFile()) throw new SpladeError("INVALID_ARGUMENT", `${path}: not a file`, { path });
  } catch (cause) {
    if (cause instanceof SpladeError) throw cause;
    throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file`, { path, cause });
  }
  let format = options.format ?? "auto";
  if (format === "auto" && path.endsWith(".jsonl")) format = "jsonl";
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (format === "auto") format = line.trimStart().startsWith("{") ? "jsonl" : "text";
    if (format === "text") yield { text: line };
    else if (line.trim() !== "") yield parseJsonLine(line, `${path}:${lineNumber}`, options.title ?? false);
  }
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
