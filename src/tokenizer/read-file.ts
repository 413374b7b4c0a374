/**
 * Typed access to the fields of the tokenizer's JSON files, with errors that name the file and the field.
 * (Reading the files themselves is util/text-file.ts, re-exported here for the two loaders.)
 */
import { SpladeError } from "../util/errors.js";

export { readJsonFile, readTextFile } from "../util/text-file.js";

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
