// Writes a NanoBEIR-shaped dataset repository (three Parquet files, one per config) into a temporary folder,
// to be served by test/helpers/hub-server.ts. The files are written by the tests themselves (hyparquet-writer).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { NANOBEIR_FILES } from "../../../src/eval/nanobeir.js";
import { tempDir } from "../../helpers/temp-dir.js";

export interface NanoBeirContent {
  corpus: Array<{ _id: string; text: string }>;
  queries: Array<{ _id: string; text: string }>;
  qrels: Array<{ "query-id": string; "corpus-id": string }>;
}

function writeParquet(path: string, rows: Array<Record<string, string>>, columns: string[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const buffer = parquetWriteBuffer({
    columnData: columns.map((name) => ({ name, data: rows.map((r) => r[name]), type: "STRING" as const })),
  });
  writeFileSync(path, new Uint8Array(buffer));
}

export function writeNanoBeirRepo(content: NanoBeirContent): string {
  const dir = tempDir("splade-nanobeir-");
  writeParquet(join(dir, NANOBEIR_FILES.corpus), content.corpus, ["_id", "text"]);
  writeParquet(join(dir, NANOBEIR_FILES.queries), content.queries, ["_id", "text"]);
  writeParquet(join(dir, NANOBEIR_FILES.qrels), content.qrels, ["query-id", "corpus-id"]);
  return dir;
}
