/**
 * BEIR datasets from a folder in BEIR layout (Thakur et al. 2021, beir's GenericDataLoader):
 *   corpus.jsonl   {"_id", "title", "text"} per line
 *   queries.jsonl  {"_id", "text"} per line
 *   qrels/<split>.tsv  header "query-id corpus-id score", then one judgment per line
 * Ids may be written as JSON numbers; they are used as strings. With `title`, a document's text is
 * `title + " " + text` (sentence-transformers' BEIR examples; skipped when the title is empty), else `text`
 * alone (what the card's NanoBEIR corpora hold).
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { SpladeError } from "../util/errors.js";
import { readJsonlObjects } from "../util/jsonl.js";
import type { RetrievalDataset, TextCollection } from "./dataset.js";
import { readQrelsFile } from "./qrels-file.js";

export interface BeirLoadOptions {
  /** qrels/<split>.tsv; default "test" (BEIR's evaluation split). */
  readonly split?: string;
  /** Prepend the title to each document's text; default false. */
  readonly title?: boolean;
  /** Dataset name for reports; default the folder's name. */
  readonly name?: string;
}

function idOf(record: Record<string, unknown>, where: string): string {
  const id = record._id;
  if (typeof id === "string" && id !== "") return id;
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  throw new SpladeError("INVALID_FILE", `${where}: "_id" must be a non-empty string`);
}

function stringField(record: Record<string, unknown>, field: string, where: string, optional: boolean): string {
  const value = record[field];
  if (typeof value === "string") return value;
  if (optional && (value === undefined || value === null)) return "";
  throw new SpladeError("INVALID_FILE", `${where}: "${field}" must be a string`);
}

async function readCollection(path: string, text: (record: Record<string, unknown>, where: string) => string): Promise<TextCollection> {
  const ids: string[] = [];
  const texts: string[] = [];
  const seen = new Set<string>();
  for await (const { record, where } of readJsonlObjects(path)) {
    const id = idOf(record, where);
    if (seen.has(id)) throw new SpladeError("INVALID_FILE", `${where}: duplicate _id ${id}`, { path });
    seen.add(id);
    ids.push(id);
    texts.push(text(record, where));
  }
  if (ids.length === 0) throw new SpladeError("INVALID_FILE", `${path}: no records`, { path });
  return { ids, texts };
}

export async function loadBeirDataset(dir: string, options: BeirLoadOptions = {}): Promise<RetrievalDataset> {
  const split = options.split ?? "test";
  if (!existsSync(dir)) throw new SpladeError("FILE_NOT_FOUND", `BEIR folder ${dir} not found`, { path: dir });
  const qrelsPath = join(dir, "qrels", `${split}.tsv`);
  if (!existsSync(qrelsPath)) {
    const qrelsDir = join(dir, "qrels");
    const splits = existsSync(qrelsDir) ? readdirSync(qrelsDir).filter((f) => f.endsWith(".tsv")).map((f) => f.slice(0, -4)) : [];
    throw new SpladeError(
      "FILE_NOT_FOUND",
      `${qrelsPath} not found (split "${split}"; available: ${splits.length > 0 ? splits.join(", ") : "none"})`,
      { path: qrelsPath },
    );
  }
  const corpus = await readCollection(join(dir, "corpus.jsonl"), (record, where) => {
    const text = stringField(record, "text", where, false);
    if (!options.title) return text;
    const title = stringField(record, "title", where, true);
    return title === "" ? text : `${title} ${text}`;
  });
  const queries = await readCollection(join(dir, "queries.jsonl"), (record, where) => stringField(record, "text", where, false));
  return { name: options.name ?? basename(dir.replace(/\/+$/, "")), corpus, queries, qrels: readQrelsFile(qrelsPath) };
}
