/**
 * Reading the tokenizer's files with errors that name them: FILE_NOT_FOUND when a file is missing,
 * INVALID_FILE when it cannot be read as UTF-8 text or JSON. Shared by the two loaders.
 */
import { existsSync, readFileSync } from "node:fs";
import { SpladeError } from "../util/errors.js";

export function readTextFile(path: string): string {
  if (!existsSync(path)) throw new SpladeError("FILE_NOT_FOUND", `${path}: no such file`, { path });
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: cannot be read (${(cause as Error).message})`, { path, cause });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: not valid UTF-8`, { path, cause });
  }
}

export function readJsonFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: not valid JSON (${(cause as Error).message})`, { path, cause });
  }
}

/** A reader of typed fields that throws INVALID_FILE naming the file and the field's path. */
export class JsonFields {
  constructor(readonly path: string) {}

  fail(problem: string): never {
    throw new SpladeError("INVALID_FILE", `${this.path}: ${problem}`, { path: this.path });
  }

  object(value: unknown, where: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(`${where} must be an object`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`${where} must be an array`);
    return value;
  }

  string(value: unknown, where: string): string {
    if (typeof value !== "string") this.fail(`${where} must be a string`);
    return value;
  }

  boolean(value: unknown, where: string): boolean {
    if (typeof value !== "boolean") this.fail(`${where} must be true or false`);
    return value;
  }

  id(value: unknown, where: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      this.fail(`${where} must be a non-negative integer`);
    return value;
  }
}
