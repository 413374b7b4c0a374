/**
 * NanoBEIR (zeta-alpha-ai's 13 small BEIR subsets: 50 queries, a few thousand documents each), downloaded
 * from the Hugging Face Hub into the shared Hugging Face cache (offline mode: cache only) and read from
 * Parquet. Names, repositories and the per-dataset report names (`Nano` + human-readable name) are those of
 * sentence-transformers' NanoBEIREvaluator; so is reading: each repository has the configs `corpus`
 * (`_id`, `text`), `queries` (`_id`, `text`) and `qrels` (`query-id`, `corpus-id`), split "train", and
 * texts that are empty are dropped (`if len(sample["text"]) > 0`). A qrels `score` column is used when
 * present, else every pair is relevant with grade 1.
 */
import { downloadFile, type HubOptions } from "../hub/index.js";
import { SpladeError } from "../util/errors.js";
import type { RetrievalDataset, TextCollection } from "./dataset.js";
import { readParquetRows } from "./parquet-table.js";
import { addJudgment, type QrelsBuilder } from "./qrels-file.js";

/** Upstream's dataset keys → human-readable names; the Hub repository is `zeta-alpha-ai/Nano{name}`. */
export const NANOBEIR_DATASETS = {
  climatefever: "ClimateFEVER",
  dbpedia: "DBPedia",
  fever: "FEVER",
  fiqa2018: "FiQA2018",
  hotpotqa: "HotpotQA",
  msmarco: "MSMARCO",
  nfcorpus: "NFCorpus",
  nq: "NQ",
  quoraretrieval: "QuoraRetrieval",
  scidocs: "SCIDOCS",
  arguana: "ArguAna",
  scifact: "SciFact",
  touche2020: "Touche2020",
} as const;

export type NanoBeirName = keyof typeof NANOBEIR_DATASETS;

export const NANOBEIR_ORG = "zeta-alpha-ai";

/** The Parquet file of each config (the datasets' `data_files`, one shard of split "train"). */
export const NANOBEIR_FILES = {
  corpus: "corpus/train-00000-of-00001.parquet",
  queries: "queries/train-00000-of-00001.parquet",
  qrels: "qrels/train-00000-of-00001.parquet",
} as const;

export function nanoBeirRepoId(name: NanoBeirName): string {
  return `${NANOBEIR_ORG}/Nano${NANOBEIR_DATASETS[name]}`;
}

/** "NanoMSMARCO": the report column and metric-key prefix. */
export function nanoBeirDisplayName(name: NanoBeirName): string {
  return `Nano${NANOBEIR_DATASETS[name]}`;
}

/**
 * Parses "all" or a comma-separated list of names, case-insensitive, with or without the "Nano" prefix
 * ("msmarco", "NanoMSMARCO", "MSMARCO"). Order kept, duplicates dropped.
 */
export function parseNanoBeirNames(spec: string): NanoBeirName[] {
  const all = Object.keys(NANOBEIR_DATASETS) as NanoBeirName[];
  if (spec.trim().toLowerCase() === "all") return all;
  const names: NanoBeirName[] = [];
  for (const raw of spec.split(",")) {
    const key = raw.trim().toLowerCase().replace(/^nano/, "");
    if (key === "") continue;
    const name = all.find((n) => n === key);
    if (name === undefined) {
      throw new SpladeError("INVALID_ARGUMENT", `unknown NanoBEIR dataset "${raw.trim()}"; valid names: all, ${all.join(", ")}`);
    }
    if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) throw new SpladeError("INVALID_ARGUMENT", `no NanoBEIR dataset named in "${spec}"`);
  return names;
}

function idText(value: string | number): string {
  return typeof value === "number" ? String(value) : value;
}

async function readTexts(path: string): Promise<TextCollection> {
  const rows = await readParquetRows(path, { required: ["_id", "text"] });
  const ids: string[] = [];
  const texts: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const id = idText(row._id);
    if (typeof row.text !== "string") throw new SpladeError("INVALID_FILE", `${path}: row ${i}, "text" is not a string`, { path });
    if (row.text.length === 0) return;
    if (seen.has(id)) throw new SpladeError("INVALID_FILE", `${path}: row ${i}, duplicate _id ${id}`, { path });
    seen.add(id);
    ids.push(id);
    texts.push(row.text);
  });
  return { ids, texts };
}

async function readQrels(path: string): Promise<QrelsBuilder> {
  const rows = await readParquetRows(path, { required: ["query-id", "corpus-id"], optional: ["score"] });
  const qrels: QrelsBuilder = new Map();
  rows.forEach((row, i) => {
    const grade = row.score === undefined ? 1 : Number(row.score);
    addJudgment(qrels, idText(row["query-id"]), idText(row["corpus-id"]), grade, `${path}: row ${i}`);
  });
  if (qrels.size === 0) throw new SpladeError("INVALID_FILE", `${path}: no judgments`, { path });
  return qrels;
}

/** Downloads (or finds in the cache) and reads one NanoBEIR dataset. */
export async function loadNanoBeirDataset(name: NanoBeirName, hub: HubOptions = {}): Promise<RetrievalDataset> {
  const repoId = nanoBeirRepoId(name);
  const fetchConfig = (file: string) => downloadFile(repoId, file, { ...hub, repoType: "dataset" });
  const corpusPath = await fetchConfig(NANOBEIR_FILES.corpus);
  const queriesPath = await fetchConfig(NANOBEIR_FILES.queries);
  const qrelsPath = await fetchConfig(NANOBEIR_FILES.qrels);
  return {
    name: nanoBeirDisplayName(name),
    corpus: await readTexts(corpusPath),
    queries: await readTexts(queriesPath),
    qrels: await readQrels(qrelsPath),
  };
}
