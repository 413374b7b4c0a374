/**
 * `splade search --index <dir> [--index <dir2> --fusion rrf] (--query "text" | --queries <file>) [-k 10]
 *   [--json | --trec] [--model <spec>] [--algorithm bmp|exhaustive | --approximate [knobs]] [--threads N]`
 * `splade search --engine opensearch|postgres --url <url> --target <name> (--query | --queries) …`
 * Exact top-k search (or approximate: --approximate, approximate-option.ts) with the model each index records (or --model); with --engine, the engine target is
 * searched with its native query and the model it recorded at creation (engines/engine-search.ts). Output: a readable list per query
 * (rank, id, score, title); --json one line per query {"query_id", "hits": [{"id", "score"}]}; --trec a TREC
 * run file (qid Q0 docid rank score run). Queries file: JSONL {"_id", "text"}.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { encoderOptionsFromEnv } from "../env-options.js";
import { readQueries } from "../../app/text-files.js";
import { searchIndexes, type QueryText, type ResultHit } from "../../app/search-indexes.js";
import { SpladeError } from "../../util/errors.js";
import { positiveInteger } from "./encode.js";
import type { EngineName } from "../../engines/index.js";
import { loadEngines } from "../engines.js";
import { nonNegativeInteger } from "./push.js";
import { approximateOption, type ApproximateFlag } from "./approximate-option.js";

interface SearchFlags {
  index?: string[];
  engine?: EngineName;
  url?: string;
  target?: string;
  queryMode?: "auto" | "rank_feature" | "neural_sparse";
  rescore?: "exact" | "none";
  retries?: number;
  fusion?: "rrf";
  rrfK?: number;
  query?: string;
  queries?: string;
  k: number;
  json?: boolean;
  trec?: boolean;
  runName: string;
  model?: string;
  algorithm?: "bmp" | "exhaustive";
  approximate?: ApproximateFlag;
  threads?: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function label(hit: ResultHit): string {
  const payload = hit.payload as { title?: unknown; text?: unknown } | undefined;
  const text = typeof payload?.title === "string" && payload.title !== "" ? payload.title : typeof payload?.text === "string" ? payload.text : "";
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 100 ? oneLine.slice(0, 99) + "…" : oneLine;
}

export function registerSearch(program: Command): void {
  program
    .command("search")
    .description("Search one or more indexes (exact top-k, or approximate; several indexes are fused with RRF)")
    .option("--index <dir>", "index directory (repeat for hybrid search)", collect)
    .addOption(new Option("--engine <engine>", "search an engine target instead of a local index").choices(["opensearch", "postgres"]))
    .option("--url <url>", "--engine: http://host:9200 (OpenSearch) or postgres://user:pass@host:5432/db")
    .option("--target <name>", "--engine: OpenSearch index or PostgreSQL table")
    .addOption(new Option("--query-mode <mode>", "--engine opensearch: query form (auto: neural_sparse when the neural-search plugin is installed)").choices(["auto", "rank_feature", "neural_sparse"]))
    .addOption(new Option("--rescore <how>", "--engine opensearch: exact (default) rescores candidates from their stored weights; none keeps OpenSearch's scores over its 8-bit-mantissa weights").choices(["exact", "none"]))
    .option("--retries <n>", "--engine: retries of a failed request (default 5)", nonNegativeInteger)
    .addOption(new Option("--fusion <method>", "how several indexes are combined").choices(["rrf"]))
    .option("--rrf-k <k>", "RRF constant (default 60)", positiveInteger)
    .option("--query <text>", "one query")
    .option("--queries <file>", "JSONL queries {\"_id\", \"text\"}")
    .option("-k, --k <n>", "results per query", positiveInteger, 10)
    .option("--json", "one JSON line per query: {\"query_id\", \"hits\": [{\"id\", \"score\"}]}")
    .option("--trec", "TREC run lines: qid Q0 docid rank score run")
    .option("--run-name <name>", "run name for --trec", "splade")
    .option("--model <model>", "encode queries with this model instead of the one the index records")
    .addOption(new Option("--algorithm <name>", "exact search algorithm").choices(["bmp", "exhaustive"]).conflicts("approximate"))
    .addOption(approximateOption())
    .option("--threads <n>", "threads searching a local index (default 1): a queries file is spread over them, one query is split across the index's segments", positiveInteger)
    .action(async (flags: SearchFlags) => {
      if ((flags.query === undefined) === (flags.queries === undefined)) throw new SpladeError("INVALID_ARGUMENT", "give exactly one of --query or --queries");
      if (flags.json && flags.trec) throw new InvalidArgumentError("--json and --trec are exclusive");
      if ((flags.index === undefined) === (flags.engine === undefined)) throw new SpladeError("INVALID_ARGUMENT", "give --index <dir> or --engine with --url and --target");
      const queries: QueryText[] = flags.queries !== undefined ? await readQueries(flags.queries) : [{ id: "1", text: flags.query! }];
      const encoder = { splade: encoderOptionsFromEnv(process.env) };
      let results;
      if (flags.engine !== undefined) {
        if (flags.threads !== undefined) throw new SpladeError("INVALID_ARGUMENT", "--threads searches a local index; the engine searches on its own threads");
        if (flags.url === undefined || flags.target === undefined) throw new SpladeError("INVALID_ARGUMENT", "--engine needs --url and --target");
        const { openEngineTarget, searchEngineTarget } = await loadEngines();
        const target = await openEngineTarget({ engine: flags.engine, url: flags.url, target: flags.target, queryMode: flags.queryMode, rescore: flags.rescore, retry: { retries: flags.retries } });
        try {
          results = await searchEngineTarget(target, queries, { k: flags.k, model: flags.model, encoder });
        } finally {
          await target.close();
        }
      } else {
        results = await searchIndexes(flags.index!, queries, { k: flags.k, fusion: flags.fusion, rrfK: flags.rrfK, model: flags.model, algorithm: flags.algorithm, approximate: flags.approximate, threads: flags.threads, encoder });
      }
      const out: string[] = [];
      results.forEach((result, i) => {
        if (flags.json) {
          out.push(JSON.stringify({ query_id: result.queryId, hits: result.hits.map(({ id, score }) => ({ id, score })) }));
        } else if (flags.trec) {
          result.hits.forEach((hit, rank) => out.push(`${result.queryId} Q0 ${hit.id} ${rank + 1} ${hit.score} ${flags.runName}`));
        } else {
          out.push(`query ${result.queryId}: ${queries[i].text}`);
          if (result.hits.length === 0) out.push("   (no matching documents)");
          result.hits.forEach((hit, rank) => out.push(`${String(rank + 1).padStart(4)}. ${hit.id.padEnd(12)} ${hit.score.toFixed(4).padStart(9)}  ${label(hit)}`));
          out.push("");
        }
      });
      process.stdout.write(out.join("\n") + (out.length > 0 ? "\n" : ""));
    });
}
