/**
 * Training rows from JSONL, one object per line, in sentence-transformers' column order:
 *   {"query", "positive"}                                  pairs (in-batch negatives only)
 *   {"query", "positive", "negative"}                      triplets
 *   {"query", "positive", "negative_1", …, "negative_N"}   n-tuples (mine-negatives --output-format n-tuple)
 *   {"query", "positive", "negatives": [...]}              the same as a list
 *   optional "label": number | number[]                     teacher margins for margin-mse, one per negative
 * Every row of a file must have the same number of negatives (a batch is a fixed set of columns).
 * Column names (for a Router's `router_mapping`) are the keys as written: query, positive, then negative,
 * negative_1…negative_N, or "negatives" for each entry of the list form.
 */
import { readFileSync } from "node:fs";
import { SpladeError } from "../../util/errors.js";

export interface TrainingRow {
  query: string;
  positive: string;
  negatives: string[];
  /** Teacher margins, one per negative (margin-mse). */
  label?: number[];
  /** Names of the columns [query, positive, ...negatives] as the file wrote them (see columnNames). */
  columnNames?: readonly string[];
}

/** The column names of a row: as parsed, or those of the triplet / n-tuple format for rows built in code. */
export function columnNames(row: TrainingRow): readonly string[] {
  if (row.columnNames) return row.columnNames;
  const k = row.negatives.length;
  return ["query", "positive", ...(k === 1 ? ["negative"] : Array.from({ length: k }, (_, j) => `negative_${j + 1}`))];
}

const nameCache = new Map<string, readonly string[]>();

/** One shared array per distinct column layout (rows of a file share their names). */
function sharedNames(names: string[]): readonly string[] {
  const key = names.join("\u0000");
  let cached = nameCache.get(key);
  if (!cached) nameCache.set(key, (cached = Object.freeze(names)));
  return cached;
}

function fail(path: string, line: number, what: string): never {
  throw new SpladeError("INVALID_FILE", `${path}:${line}: ${what}`, { path });
}

function text(path: string, line: number, row: Record<string, unknown>, key: string): string {
  const v = row[key];
  if (typeof v !== "string") fail(path, line, `"${key}" must be a string, got ${JSON.stringify(v ?? null)}`);
  return v;
}

export function parseTrainingRow(row: unknown, path: string, line: number): TrainingRow {
  if (typeof row !== "object" || row === null || Array.isArray(row)) fail(path, line, "expected a JSON object");
  const r = row as Record<string, unknown>;
  const out: TrainingRow = { query: text(path, line, r, "query"), positive: text(path, line, r, "positive"), negatives: [] };
  const names = ["query", "positive"];
  if (Array.isArray(r.negatives)) {
    r.negatives.forEach((n, i) => (typeof n === "string" ? out.negatives.push(n) : fail(path, line, `"negatives"[${i}] must be a string`)));
    names.push(...out.negatives.map(() => "negatives"));
  } else if ("negative" in r) {
    out.negatives.push(text(path, line, r, "negative"));
    names.push("negative");
  } else {
    for (let k = 1; `negative_${k}` in r; k++) {
      out.negatives.push(text(path, line, r, `negative_${k}`));
      names.push(`negative_${k}`);
    }
  }
  out.columnNames = sharedNames(names);
  if (r.label !== undefined) {
    const labels = Array.isArray(r.label) ? r.label : [r.label];
    if (!labels.every((x) => typeof x === "number" && Number.isFinite(x))) fail(path, line, `"label" must be a number or a list of numbers`);
    out.label = labels as number[];
  }
  return out;
}

/** Reads a JSONL training file; blank lines are skipped. */
export function readTrainingRows(path: string): TrainingRow[] {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path}: cannot read the training file (${(cause as Error).message})`, { path, cause });
  }
  const rows: TrainingRow[] = [];
  content.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      fail(path, i + 1, "not valid JSON");
    }
    rows.push(parseTrainingRow(parsed, path, i + 1));
  });
  if (rows.length === 0) throw new SpladeError("INVALID_FILE", `${path}: no training rows`, { path });
  const k = rows[0].negatives.length;
  rows.forEach((r, i) => {
    if (r.negatives.length !== k) fail(path, i + 1, `has ${r.negatives.length} negatives, the first row has ${k} (all rows need the same columns)`);
    if (r.columnNames !== rows[0].columnNames) fail(path, i + 1, `has columns ${r.columnNames!.join(", ")}, the first row has ${rows[0].columnNames!.join(", ")} (all rows need the same columns)`);
    if (r.label && r.label.length !== k) fail(path, i + 1, `"label" has ${r.label.length} values for ${k} negatives`);
  });
  return rows;
}
