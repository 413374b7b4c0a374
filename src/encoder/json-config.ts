/**
 * Reading the small JSON configuration files of a model folder: an object is required, and every problem is
 * INVALID_FILE naming the file (util/text-file.ts reports missing files, bad UTF-8 and bad JSON).
 */
import { existsSync } from "node:fs";
import { SpladeError } from "../util/errors.js";
import { readJsonFile } from "../util/text-file.js";

export function invalid(path: string, problem: string): never {
  throw new SpladeError("INVALID_FILE", `${path}: ${problem}`, { path });
}

export function readObject(path: string): Record<string, unknown> {
  const json = readJsonFile(path);
  if (typeof json !== "object" || json === null || Array.isArray(json)) invalid(path, "expected a JSON object");
  return json as Record<string, unknown>;
}

/** The object in `path`, or {} when the file does not exist. */
export function readOptionalObject(path: string): Record<string, unknown> {
  return existsSync(path) ? readObject(path) : {};
}

export function positiveInteger(path: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) invalid(path, `${field} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

export function booleanField(path: string, field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") invalid(path, `${field} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
