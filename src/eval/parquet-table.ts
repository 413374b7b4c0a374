/**
 * Reads a whole Parquet file (hyparquet, pure JS) into rows of the columns asked for, with errors that name
 * the file: not Parquet, a column missing, a value of the wrong type. Values are returned as strings or
 * numbers: ids may be stored as strings or integers (INT64 arrives as BigInt) and are used as strings.
 * For the small Hub dataset files of NanoBEIR (a few MB); large corpora come as BEIR folders.
 */
import { readFile } from "node:fs/promises";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { SpladeError } from "../util/errors.js";

export type ParquetCell = string | number;

export interface ParquetColumns {
  /** Columns that must exist. */
  readonly required: readonly string[];
  /** Columns read when present. */
  readonly optional?: readonly string[];
}

function cellOf(value: unknown, path: string, row: number, column: string): ParquetCell {
  if (typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new SpladeError("INVALID_FILE", `${path}: row ${row}, column "${column}" holds ${value === null ? "null" : typeof value}, expected a string or a number`, {
    path,
  });
}

/** Rows of `path` restricted to the requested columns (absent optional columns are left out). */
export async function readParquetRows(path: string, columns: ParquetColumns): Promise<Array<Record<string, ParquetCell>>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `cannot read ${path}: ${(cause as Error).message}`, { path, cause });
  }
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let present: string[];
  try {
    present = parquetSchema(parquetMetadata(file)).children.map((child) => child.element.name);
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path} is not a readable Parquet file: ${(cause as Error).message}`, { path, cause });
  }
  const missing = columns.required.filter((c) => !present.includes(c));
  if (missing.length > 0) {
    throw new SpladeError("INVALID_FILE", `${path}: missing column(s) ${missing.map((c) => `"${c}"`).join(", ")} (has ${present.join(", ")})`, {
      path,
    });
  }
  const wanted = [...columns.required, ...(columns.optional ?? []).filter((c) => present.includes(c))];
  let objects: Array<Record<string, unknown>>;
  try {
    objects = await parquetReadObjects({ file, columns: wanted });
  } catch (cause) {
    throw new SpladeError("INVALID_FILE", `${path}: cannot decode Parquet data: ${(cause as Error).message}`, { path, cause });
  }
  return objects.map((object, row) => {
    const out: Record<string, ParquetCell> = {};
    for (const column of wanted) out[column] = cellOf(object[column], path, row, column);
    return out;
  });
}
