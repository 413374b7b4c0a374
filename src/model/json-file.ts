/**
 * Reading the small JSON files of a model folder (config.json, modules.json, …) with errors that name the file:
 * FILE_NOT_FOUND when it is absent, INVALID_FILE when it cannot be read or parsed.
 */
import { readFileSync } from "node:fs";
import { SpladeError } from "../util/errors.js";

/** Parses the JSON file at `path`; `purpose` completes the not-found message ("… needs its config.json"). */
export function readJsonFile(path: string, purpose = ""): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file${purpose ? ` (${purpose})` : ""}`, { path, cause });
    }
    throw new SpladeError("INVALID_FILE", `${path}: cannot read (${(cause as Error).message})`, { path, cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: not valid JSON (${(cause as Error).message})`, { path, cause });
  }
}
