/**
 * `npm run bench -- search [--docs 1000000] [--generator mixture|independent] [--queries 1000]
 *   [--exhaustive-queries N] [--phase all|build|search] [--index-dir <dir>] [--rebuild]
 *   [--reorder bp|top-terms|none] [--impact f32|u8] [--block-size 64] [--superblock-size 16]
 *   [--grid quick|full|wide|none|<json>] [--threads 2] [--no-qps] [--split-unshared]`
 * `npm run bench -- search --plot <dir,dir,…> --svg <file>` draws the recall–latency curves of earlier runs.
 *
 * Top-10 search over a synthetic corpus of SPLADE-like documents (bench/_synthetic-splade.ts documents the
 * generator) with real SPLADE query vectors of MS MARCO dev (bench/_splade-queries.ts; the half not used as
 * topics). The build phase streams the corpus into the library's writer and persists the index under
 * `--index-dir` (default bench/out/search/<generator>-<docs>; reused when it holds the same corpus, so that
 * measurements can run in separate short quiet runs). The search phase opens it and reports: index bytes per
 * posting, RSS while searching, single-thread p50/p99/mean of exact block-max pruning (BMP) and of exhaustive
 * scoring (the baseline) with their ratio and a check that BMP returned exactly the exhaustive lists,
 * approximate search over a grid of knobs with recall@10 against the exact top-10 (fastest settings at 90,
 * 95 and 97 %), QPS on `--threads` worker threads (unless `--no-qps`), and, for indexes of several segments,
 * the latency of one query at a time with its segments split across `--threads` threads sharing the k-th score
 * (intra-query parallelism; `--threads` workers, then the calling thread and `--threads` − 1 workers): exact,
 * and approximate over the grid with its fastest settings at 90, 95 and 97 % (`--split-unshared` adds the
 * calling thread + workers without the shared k-th score, to measure what sharing gives). `--threads 0` measures one
 * thread per query only. Results go to `<dir>/bench-search.json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, totalmem } from "node:os";
import { SHARED } from "./_paths.js";
import { loadSpladeQueries, loadVocab } from "./_splade-queries.js";
import { splitQueries, type GeneratorKind } from "./_synthetic-splade.js";
import { buildCorpusIndex, existingBuild, type BuildRecord, type CorpusSpec } from "./_search-build.js";
import { approximateSweep, exactLatencies, fastestAt, formatLatencies, paretoFrontier, summarize, type ApproximatePoint, type Latencies } from "./_search-measure.js";
import type { ScoredOrdinal } from "../src/index/top-k.js";
import { recallLatencySvg, type PlotSeries } from "./_search-plot.js";
import { SparseIndex } from "../src/index/sparse-index.js";
import { SearchPool } from "../src/index/search-pool.js";
import { INDEX_DEFAULTS } from "../src/index/defaults.js";
import type { IndexSettings } from "../src/index/manifest.js";
import type { ApproximateSearchOptions } from "../src/index/approximate-search.js";
import type { SparseVector } from "../src/sparse/vector.js";

const QUERY_FILE = join(SHARED, "data/msmarco-dev-splade-queries/topics.msmarco-passage.dev-subset.splade-pp-ed.tsv.gz");
const VOCAB = "assets/bert-base-uncased-vocab.txt";
const K = 10;

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/**
 * Knob grids of the approximate sweep: none, quick, full, wide (more query terms and lower heap factors, for
 * corpora without co-occurrence structure such as `independent`), or a JSON array of knob objects. Every
 * grid point rescores 5·k candidates (candidate-bounds.ts makes that cheap: ~11 of them need exact scores).
 */
function grid(kind: string): Array<Partial<ApproximateSearchOptions>> {
  if (kind === "none") return [];
  if (kind.startsWith("[")) return JSON.parse(kind) as Array<Partial<ApproximateSearchOptions>>;
  const axes: Record<string, [number[], number[], number[]]> = {
    quick: [[5, 8, 12], [0.9, 0.97, 1.05], [24]],
    full: [[4, 5, 6, 8, 10], [0.85, 0.9, 0.95, 1], [16, 24, 32]],
    wide: [[12, 16, 24, 32, 44], [0.5, 0.6, 0.7, 0.8, 0.9], [32, 64]],
  };
  const [queryTerms, heapFactors, docTerms] = axes[kind] ?? axes.quick;
  return queryTerms.flatMap((q) => heapFactors.flatMap((h) => docTerms.map((d) => ({ queryTerms: q, heapFactor: h, docTerms: d, rescore: 5 }))));
}

async function throughput(index: SparseIndex, queries: readonly SparseVector[], threads: number, options: { algorithm?: "bmp" | "exhaustive"; approximate?: boolean }): Promise<number> {
  const pool = await SearchPool.create(index, { threads });
  try {
    await pool.search(queries.slice(0, 20), { k: K, ...options }); // warm-up
    const t0 = performance.now();
    await pool.search(queries, { k: K, ...options });
    return queries.length / ((performance.now() - t0) / 1000);
  } finally {
    await pool.close();
  }
}

/**
 * Latency of one query at a time with its segments split across the pool's workers, or with `caller` across
 * the calling thread and the workers (SearchPool.searchSplit; the threads share the k-th score). With
 * `expected` (exact results), counts the queries answered identically; with `recallOf` (the exact top-k), the
 * recall@k of approximate results.
 */
async function splitLatencies(pool: SearchPool, queries: readonly SparseVector[], split: { caller: boolean; shareThreshold: boolean }, options: { algorithm?: "bmp"; approximate?: Partial<ApproximateSearchOptions> }, check: { expected?: ScoredOrdinal[][]; recallOf?: ScoredOrdinal[][] }): Promise<Latencies & { identical?: number; recall?: number }> {
  const search = (query: SparseVector) => pool.searchSplit(query, { k: K, ...split, ...options });
  for (const query of queries.slice(0, 20)) await search(query); // warm-up
  const times: number[] = [];
  let identical = 0;
  let recall = 0;
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    const hits = await search(queries[i]);
    times.push(performance.now() - t0);
    if (check.expected && JSON.stringify(hits) === JSON.stringify(check.expected[i])) identical++;
    if (check.recallOf) {
      const found = new Set(hits.map((h) => h.ordinal));
      const truth = check.recallOf[i];
      recall += truth.length === 0 ? 1 : truth.filter((h) => found.has(h.ordinal)).length / truth.length;
    }
  }
  return { ...summarize(times), ...(check.expected ? { identical } : {}), ...(check.recallOf ? { recall: recall / queries.length } : {}) };
}

function plot(args: string[]): void {
  const dirs = flag(args, "plot", "").split(",").filter((d) => d !== "");
  const series: PlotSeries[] = dirs.map((dir) => JSON.parse(readFileSync(join(dir, "bench-search.json"), "utf8")) as PlotSeries);
  const out = flag(args, "svg", "assets/search-recall-latency.svg");
  writeFileSync(out, recallLatencySvg(series));
  process.stdout.write(`wrote ${out}\n`);
}

export async function main(args: string[]): Promise<void> {
  if (args.includes("--plot")) return plot(args);
  const docs = Number(flag(args, "docs", "1000000"));
  const generator = flag(args, "generator", "mixture") as GeneratorKind;
  const queryCount = Number(flag(args, "queries", "1000"));
  const exhaustiveCount = Number(flag(args, "exhaustive-queries", String(queryCount)));
  const threads = Number(flag(args, "threads", "2"));
  const phase = flag(args, "phase", "all");
  const settings: Partial<IndexSettings> = {
    blockSize: Number(flag(args, "block-size", String(INDEX_DEFAULTS.blockSize))),
    superblockSize: Number(flag(args, "superblock-size", String(INDEX_DEFAULTS.superblockSize))),
    reorder: flag(args, "reorder", INDEX_DEFAULTS.reorder) as IndexSettings["reorder"],
    impact: flag(args, "impact", INDEX_DEFAULTS.impact) as IndexSettings["impact"],
  };
  const spec: CorpusSpec = { docs, generator, seed: 42, settings };
  const suffix = [settings.reorder !== INDEX_DEFAULTS.reorder ? settings.reorder : "", settings.impact !== "f32" ? settings.impact : "", settings.blockSize !== INDEX_DEFAULTS.blockSize ? `b${settings.blockSize}` : ""].filter(Boolean);
  const dir = flag(args, "index-dir", join("bench/out/search", [generator, String(docs), ...suffix].join("-")));
  const log = (line: string) => process.stdout.write(line + "\n");
  log(`# search benchmark ${new Date().toISOString()} | ${cpus()[0]?.model} × ${cpus().length} | ${(totalmem() / 2 ** 30).toFixed(0)} GiB | Node ${process.version}`);
  log(`docs ${docs}, generator ${generator}, ${JSON.stringify(settings)}, index ${dir}`);

  const t = performance.now();
  const vocab = loadVocab(VOCAB);
  const all = loadSpladeQueries(QUERY_FILE, vocab);
  const { topics, benchmark } = splitQueries(all);
  const queries = benchmark.slice(0, queryCount).map((q) => q.vector);
  log(`queries: ${all.length} real SPLADE vectors loaded in ${((performance.now() - t) / 1000).toFixed(1)} s; searching with ${queries.length} (mean ${(queries.reduce((n, q) => n + q.indices.length, 0) / queries.length).toFixed(1)} terms)`);

  let build: BuildRecord | null = existingBuild(dir, spec);
  if (phase !== "search" && (build === null || args.includes("--rebuild"))) {
    mkdirSync(dir, { recursive: true });
    log(`building ${dir}`);
    build = await buildCorpusIndex(dir, spec, all, topics, vocab.size, log);
  } else if (build !== null) {
    log(`reusing the index built ${build.date}`);
  }
  if (build === null) throw new Error(`${dir}: no index of this corpus (run the build phase)`);
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  log(`build: ${build.buildS.toFixed(1)} s (+ ${build.generateS.toFixed(1)} s generating the corpus${build.wallS === undefined ? "" : `; ${build.wallS.toFixed(1)} s wall, generation included`}), peak RSS ${gib(build.peakRssBytes)}, ${build.segmentCount} segment(s), ${build.postingCount} postings (${(build.postingCount / docs).toFixed(1)} per document)`);
  log(`index: ${build.exactBytesPerPosting.toFixed(2)} bytes per posting for exact search + ${build.approximateBytesPerPosting.toFixed(2)} for approximate search; files ${gib(build.fileBytes)}`);
  if (phase === "build") return;

  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = await SparseIndex.open(dir, { shared: threads > 0 });
  log(`opened in ${((performance.now() - t0) / 1000).toFixed(1)} s with checksums; RSS ${gib(process.memoryUsage().rss)} (${gib(process.memoryUsage().rss - rss0)} for the index)`);

  const exact = exactLatencies(index, queries, exhaustiveCount, K);
  const same = exact.exhaustive.results.filter((r, i) => JSON.stringify(r) === JSON.stringify(exact.bmp.results[i])).length;
  const bmpOnBaseline = exact.bmp.times.slice(0, exhaustiveCount).sort((a, b) => a - b);
  log(`exhaustive (1 thread, ${exhaustiveCount} queries): ${formatLatencies(exact.exhaustive)}`);
  log(`bmp        (1 thread, ${queries.length} queries): ${formatLatencies(exact.bmp)}`);
  const speedupP50 = exact.exhaustive.p50 / bmpOnBaseline[Math.floor(bmpOnBaseline.length / 2)];
  log(`bmp vs exhaustive (same ${exhaustiveCount} queries): ${speedupP50.toFixed(1)}× at p50; identical top-${K} on ${same}/${exhaustiveCount} queries`);

  log(`approximate (1 thread, ${queries.length} queries, recall against the exact top-${K}):`);
  const points: ApproximatePoint[] = approximateSweep(index, queries, exact.bmp.results, [{}, ...grid(flag(args, "grid", "quick"))], K, log);
  const targets = [0.9, 0.95, 0.97].map((r) => ({ recall: r, point: fastestAt(points, r) }));
  for (const { recall, point } of targets) log(`fastest at recall ≥ ${100 * recall}%: ${point ? `${JSON.stringify(point.knobs)} ${(100 * point.recall).toFixed(2)}%, ${formatLatencies(point)} (${(exact.exhaustive.mean / point.mean).toFixed(0)}× exhaustive mean)` : "none"}`);
  const rss = process.memoryUsage().rss;
  log(`RSS while searching: ${gib(rss)} (peak ${gib(process.resourceUsage().maxRSS * 1024)})`);

  let qps: Record<string, number> = {};
  if (threads > 0 && !args.includes("--no-qps")) {
    qps = {
      bmp: await throughput(index, queries, threads, { algorithm: "bmp" }),
      exhaustive: await throughput(index, queries.slice(0, exhaustiveCount), threads, { algorithm: "exhaustive" }),
      approximate: await throughput(index, queries, threads, { approximate: true }),
    };
    log(`throughput on ${threads} threads: bmp ${qps.bmp.toFixed(0)} QPS, exhaustive ${qps.exhaustive.toFixed(0)} QPS, approximate (defaults) ${qps.approximate.toFixed(0)} QPS`);
  }
  const splits: Array<Record<string, unknown>> = [];
  if (threads > 1 && index.segments.length > 1) {
    // The grid again (not the defaults), with the query split: sharing changes which knobs reach a recall.
    const knobs = points.slice(1).map((p) => p.knobs);
    const variants = [{ caller: false, share: true }, { caller: true, share: true }, ...(args.includes("--split-unshared") ? [{ caller: true, share: false }] : [])];
    for (const { caller, share } of variants) {
      const how = `${threads} threads per query (${caller ? `the calling thread + ${threads - 1} worker${threads > 2 ? "s" : ""}` : `${threads} workers`})`;
      const shareThreshold = share;
      const pool = await SearchPool.create(index, { threads: threads - (caller ? 1 : 0) });
      const approximate = [];
      let bmp: Latencies & { identical?: number };
      try {
        // Warm-up: the workers' code is as cold as the pool (the single-thread runs above warmed this thread's).
        for (const query of queries.slice(0, 50)) await pool.searchSplit(query, { k: K, caller, shareThreshold });
        for (const at of knobs) for (const query of queries.slice(0, 50)) await pool.searchSplit(query, { k: K, caller, shareThreshold, approximate: at });
        bmp = await splitLatencies(pool, queries, { caller, shareThreshold }, { algorithm: "bmp" }, { expected: exact.bmp.results });
        log(`one query at a time, segments split across ${how}, k-th score ${share ? "shared" : "NOT shared (ablation)"}:`);
        log(`  bmp ${formatLatencies(bmp)} (top-${K} identical to one thread's on ${bmp.identical}/${queries.length})`);
        for (const at of knobs) {
          const point = { knobs: at, ...(await splitLatencies(pool, queries, { caller, shareThreshold }, { approximate: at }, { recallOf: exact.bmp.results })) };
          log(`  approximate ${JSON.stringify(at).padEnd(58)} recall@${K} ${(100 * point.recall!).toFixed(2)}%  ${formatLatencies(point)}`);
          approximate.push(point);
        }
      } finally {
        await pool.close();
      }
      for (const r of [0.9, 0.95, 0.97]) {
        const best = approximate.filter((p) => p.recall! >= r).sort((a, b) => a.mean - b.mean)[0];
        log(`  fastest at recall ≥ ${100 * r}%: ${best ? `${JSON.stringify(best.knobs)} ${(100 * best.recall!).toFixed(2)}%, ${formatLatencies(best)}` : "none"}`);
      }
      splits.push({ threads, caller, shareThreshold, bmp, approximate });
    }
  }
  const label = `${generator} ${docs >= 1e6 ? `${docs / 1e6}M` : `${docs / 1e3}K`}`;
  const result = {
    label, date: new Date().toISOString(), build, queries: queries.length, rssBytes: rss,
    exact: { bmp: { p50: exact.bmp.p50, p99: exact.bmp.p99, mean: exact.bmp.mean }, exhaustive: { p50: exact.exhaustive.p50, p99: exact.exhaustive.p99, mean: exact.exhaustive.mean }, identical: same, compared: exhaustiveCount },
    approximate: points, frontier: paretoFrontier(points), qps, splits,
  };
  writeFileSync(join(dir, "bench-search.json"), JSON.stringify(result, null, 2) + "\n");
}
