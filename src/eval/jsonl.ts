/**
 * Streams a JSON Lines file: one JSON object per non-blank line, with errors that name the file and line.
 * Streaming, because BEIR corpora reach millions of lines (MS MARCO: 8.8 M passages).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { SpladeError } from "../util/errors.js";

/** Calls `onRecord(object, where)` for each line; `where` is "path:line" for the caller's own errors. */
export async function forEachJsonlRecord(
  path: string,
  onRecord: (record: Record<string, unknown>, where: string) => void,
): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new Error("not a file");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path} not found`, { path, cause });
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
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
      if (record === null || typeof record !== "object" || Array.isArray(record)) {
        throw new SpladeError("INVALID_FILE", `${where}: expected a JSON object`, { path });
      }
      onRecord(record as Record<string, unknown>, where);
    }
  } catch (cause) {
    if (cause instanceof SpladeError) throw cause;
    throw new SpladeError("INVALID_FILE", `cannot read ${path}: ${(cause as Error).message}`, { path, cause });
  } finally {
    lines.close();
  }
}
