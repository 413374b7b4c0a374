/**
 * Streaming line and JSON Lines reading with errors that name the file and line ("<file>:<line>: …"):
 * BEIR corpora reach millions of lines (MS MARCO: 8.8 M passages), so nothing holds the whole file.
 * - `readLines`: every line, numbered from 1, split on "\n" with a trailing "\r" dropped (CRLF files);
 *   a line that is not valid UTF-8 is INVALID_FILE rather than decoded with U+FFFD replacements;
 * - `readJsonlObjects`: one JSON object per non-blank line (a UTF-8 BOM before the first is skipped);
 *   invalid JSON, or JSON that is not an object, is INVALID_FILE.
 * A missing path (or a directory) is FILE_NOT_FOUND; any other read failure is INVALID_FILE.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { SpladeError } from "./errors.js";

export interface Line {
  readonly text: string;
  /** 1-based. */
  readonly lineNumber: number;
  /** "path:line", for the caller's own errors. */
  readonly where: string;
}

export interface JsonlObject {
  readonly record: Record<string, unknown>;
  readonly where: string;
}

const NEWLINE = 0x0a;

async function checkIsFile(path: string): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new Error("not a file");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path} not found`, { path, cause });
  }
}

/** Raw lines as bytes (without "\n"); a "\n" byte never occurs inside a multi-byte UTF-8 sequence. */
async function* byteLines(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path);
  let pending: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
        const piece = chunk.subarray(start, end);
        yield pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        start = end + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `cannot read ${path}: ${(cause as Error).message}`, { path, cause });
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

export async function* readLines(path: string): AsyncGenerator<Line> {
  await checkIsFile(path);
  // fatal: invalid UTF-8 throws; ignoreBOM: a BOM stays in the text (each line is decoded on its own).
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let lineNumber = 0;
  for await (const bytes of byteLines(path)) {
    lineNumber++;
    const where = `${path}:${lineNumber}`;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      throw new SpladeError("INVALID_FILE", `${where}: not valid UTF-8`, { path, cause });
    }
    yield { text: text.endsWith("\r") ? text.slice(0, -1) : text, lineNumber, where };
  }
}

export async function* readJsonlObjects(path: string): AsyncGenerator<JsonlObject> {
  for await (const { text, lineNumber, where } of readLines(path)) {
    if (text.trim() === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(lineNumber === 1 ? text.replace(/^\uFEFF/, "") : text);
    } catch (cause) {
      throw new SpladeError("INVALID_FILE", `${where}: not valid JSON (${(cause as Error).message})`, { path, cause });
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new SpladeError("INVALID_FILE", `${where}: expected a JSON object`, { path });
    }
    yield { record: record as Record<string, unknown>, where };
  }
}

/** Non-blank lines of a file (a progress total), counted without parsing JSON. */
export async function countNonBlankLines(path: string): Promise<number> {
  let count = 0;
  for await (const line of readLines(path)) if (line.text.trim() !== "") count++;
  return count;
}
