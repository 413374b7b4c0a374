/**
 * Reading small text and JSON files (configs, vocabularies, tokenizer.json) with errors that name the file:
 * FILE_NOT_FOUND when it is absent, INVALID_FILE when it cannot be read, is not UTF-8, or is not JSON.
 */
import { readFileSync } from "node:fs";
import { SpladeError } from "./errors.js";

/** The file's text, decoded as strict UTF-8. `purpose` completes the not-found message ("… (needs config.json)"). */
export function readTextFile(path: string, purpose = ""): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file${purpose ? ` (${purpose})` : ""}`, { path, cause });
    }
    throw new SpladeError("INVALID_FILE", `${path}: cannot be read (${(cause as Error).message})`, { path, cause });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: not valid UTF-8`, { path, cause });
  }
}

/** Parses the JSON file at `path`. */
export function readJsonFile(path: string, purpose = ""): unknown {
  const text = readTextFile(path, purpose);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: not valid JSON (${(cause as Error).message})`, { path, cause });
  }
}
