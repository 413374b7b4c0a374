/**
 * `npm run bench -- serve [--duration 20] [--connections 32] [--threads 1] [--models bm25,tiny] [--index-dir <dir>]
 *   [--algorithm bmp|exhaustive]`
 *
 * Load on `splade serve` over 127.0.0.1 with autocannon, bounded in time. For each model (BM25, and the tiny
 * fixture SPLADE model so that query encoding is part of the cost) the SciFact corpus is indexed with titles
 * and served by a real `splade serve` child process; then, with `--connections` connections for `--duration`
 * seconds each:
 *   1. search: the 300 SciFact test claims, k = 10, round robin (QPS, p50/p99 latency, errors, non-2xx);
 *   2. mixed: 90 % of the requests the same searches, 10 % writes of one new document each; afterwards every
 *      acknowledged document is read back by id and found by a search for its exact text.
 * Baselines from the same run: GET /health under the same load (the HTTP stack's ceiling on this machine) and
 * the same searches in-process without HTTP (SparseIndex.search after encoding, one thread). Errors and
 * non-2xx answers must be 0; the run fails otherwise. `--index-dir` keeps the built indexes there and re-uses
 * them (build once outside a quiet measurement window); each run writes into a fresh copy.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createEncoder } from "../src/app/encoders.js";
import { buildIndexFromCorpus } from "../src/app/index-corpus.js";
import { SparseIndex } from "../src/index/sparse-index.js";
import { Rng } from "../src/util/rng.js";

const SCIFACT = "../shared/data/scifact";
const MODELS: Record<string, string> = { bm25: "bm25", tiny: "test/fixtures/tiny-bert-splade" };
/** Deep enough for the whole SciFact index and what the mixed run adds. */
const MAX_K = 20_000;

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

function testClaims(): string[] {
  const ids = new Set(readFileSync(join(SCIFACT, "qrels/test.tsv"), "utf8").split("\n").slice(1).filter((l) => l.trim() !== "").map((l) => l.split("\t")[0]));
  return readFileSync(join(SCIFACT, "queries.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { _id: string; text: string })
    .filter((q) => ids.has(q._id))
    .map((q) => q.text);
}

/** Words of SciFact titles, to write new documents that read like the corpus. */
function titleWords(): string[] {
  const words = new Set<string>();
  for (const line of readFileSync(join(SCIFACT, "corpus.jsonl"), "utf8").split("\n")) {
    if (line.trim() === "") continue;
    for (const w of (JSON.parse(line) as { title: string }).title.toLowerCase().match(/[a-z]{4,}/g) ?? []) words.add(w);
  }
  return [...words];
}

async function startServe(index: string, threads: number, algorithm: string): Promise<{ child: ChildProcess; url: string }> {
  const args = ["--index", index, "--port", "0", "--threads", String(threads), "--max-k", String(MAX_K), "--algorithm", algorithm, "--quiet"];
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts", "serve", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`splade serve exited with ${code}: ${stderr}`)));
  });
  return { child, url };
}

async function stopServe(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return exited;
}

interface Load {
  qps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

function summary(r: autocannon.Result): Load {
  return { qps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, errors: r.errors, non2xx: r.non2xx, timeouts: r.timeouts };
}

const fmt = (l: Load) =>
  `${l.qps.toFixed(0).padStart(7)} req/s   p50 ${l.p50.toFixed(1).padStart(6)} ms   p99 ${l.p99.toFixed(1).padStart(6)} ms   ${String(l.requests).padStart(7)} requests   errors ${l.errors}   non-2xx ${l.non2xx}   timeouts ${l.timeouts}`;

function searchRequests(claims: string[]): autocannon.Request[] {
  return claims.map((query) => ({ method: "POST", path: "/search", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, k: 10 }) }));
}

async function load(url: string, options: { connections: number; duration: number; requests: autocannon.Request[] }): Promise<Load> {
  return summary(await autocannon({ url, connections: options.connections, duration: options.duration, requests: options.requests, timeout: 30 }));
}

interface Written {
  id: string;
  text: string;
}

interface Mixed {
  load: Load;
  written: Written[];
  /** Latency by kind of request (ms), measured around each request by the client. */
  searchP50: number;
  searchP99: number;
  writeP50: number;
  writeP99: number;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};

/** 90 % searches, 10 % writes of one new document; returns the load and the acknowledged documents. */
async function mixed(url: string, index: string, claims: string[], words: string[], options: { connections: number; duration: number }, tag: string): Promise<Mixed> {
  const rng = new Rng(7);
  const written: Written[] = [];
  const latency = { search: [] as number[], write: [] as number[] };
  let next = 0;
  let q = 0;
  type Context = { pending?: Written | null; started?: number };
  const request: autocannon.Request = {
    method: "POST",
    headers: { "content-type": "application/json" },
    setupRequest: (req, context: Context) => {
      context.started = performance.now();
      if (rng.next() < 0.1) {
        const n = next++;
        const text = `${Array.from({ length: 12 }, () => words[rng.int(words.length)]).join(" ")} benchmark write ${tag} ${n}`;
        const doc = { id: `bench-${tag}-${n}`, text };
        context.pending = doc;
        return { ...req, path: `/indexes/${index}/documents`, body: JSON.stringify({ documents: [doc] }) };
      }
      context.pending = null;
      return { ...req, path: "/search", body: JSON.stringify({ query: claims[q++ % claims.length], k: 10 }) };
    },
    onResponse: (status, _body, context: Context) => {
      latency[context.pending ? "write" : "search"].push(performance.now() - context.started!);
      if (status === 200 && context.pending) written.push(context.pending);
    },
  };
  const result = await autocannon({ url, connections: options.connections, duration: options.duration, requests: [request], timeout: 30 });
  return {
    load: summary(result),
    written,
    searchP50: percentile(latency.search, 0.5),
    searchP99: percentile(latency.search, 0.99),
    writeP50: percentile(latency.write, 0.5),
    writeP99: percentile(latency.write, 0.99),
  };
}

async function postJson(url: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

/**
 * Every acknowledged document: read back by id, and found by a search for its exact text: its rank among the
 * hits (ids only), at depth 10 first and, for those not there, over the whole index. A BM25 index ranks such
 * a document first; the fixture SPLADE model has random weights, so it ranks by vector mass, not meaning, and
 * the document is found deeper.
 */
async function verify(url: string, index: string, written: Written[]): Promise<{ byId: number; found: number; first: number; top10: number; deepest: number }> {
  let byId = 0;
  let found = 0;
  let first = 0;
  let top10 = 0;
  let deepest = 0;
  for (const doc of written) {
    const r = await fetch(`${url}/indexes/${index}/documents/${encodeURIComponent(doc.id)}`);
    if (r.status === 200 && ((await r.json()) as { text: string }).text === doc.text) byId++;
  }
  const rankOf = async (chunk: Written[], k: number) => {
    const { results } = await postJson(url, "/search", { queries: chunk.map((d) => ({ query: d.text })), k, stored: false });
    return chunk.map((d, j) => (results[j].hits as Array<{ id: string }>).findIndex((h) => h.id === d.id));
  };
  const deeper: Written[] = [];
  for (let i = 0; i < written.length; i += 100) {
    const chunk = written.slice(i, i + 100);
    (await rankOf(chunk, 10)).forEach((rank, j) => {
      if (rank < 0) return deeper.push(chunk[j]);
      found++;
      top10++;
      if (rank === 0) first++;
      deepest = Math.max(deepest, rank + 1);
    });
  }
  for (let i = 0; i < deeper.length; i += 10) {
    (await rankOf(deeper.slice(i, i + 10), MAX_K)).forEach((rank) => {
      if (rank < 0) return;
      found++;
      deepest = Math.max(deepest, rank + 1);
    });
  }
  return { byId, found, first, top10, deepest };
}

/** The same searches in-process, one thread, no HTTP: encode then SparseIndex.search. */
async function inProcess(dir: string, model: string, claims: string[], seconds: number, algorithm: "bmp" | "exhaustive"): Promise<number> {
  const index = await SparseIndex.open(dir);
  const encoder = await createEncoder(model, { splade: { threads: 1 } });
  try {
    const deadline = performance.now() + seconds * 1000;
    let n = 0;
    const started = performance.now();
    while (performance.now() < deadline) {
      const [vector] = await encoder.encodeQueries([claims[n % claims.length]]);
      index.search(vector, { k: 10, algorithm });
      n++;
    }
    return n / ((performance.now() - started) / 1000);
  } finally {
    await encoder.release();
  }
}

export async function main(args: string[]): Promise<void> {
  const duration = Number(flag(args, "duration", "20"));
  const connections = Number(flag(args, "connections", "32"));
  const threads = Number(flag(args, "threads", "1"));
  const models = flag(args, "models", "bm25,tiny").split(",");
  const indexDir = args.includes("--index-dir") ? flag(args, "index-dir", "") : null;
  const algorithm = flag(args, "algorithm", "bmp");
  const claims = testClaims();
  const words = titleWords();
  console.log(`# serve benchmark: ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  console.log(`# ${claims.length} SciFact test claims, ${connections} connections, ${duration} s per run, server --threads ${threads} --algorithm ${algorithm}`);
  const work = mkdtempSync(join(tmpdir(), "splade-bench-serve-"));
  let failed = false;
  try {
    for (const name of models) {
      const model = MODELS[name] ?? name;
      const dir = join(work, `scifact-${name}`);
      const kept = indexDir === null ? null : join(indexDir, `scifact-${name}`);
      if (kept !== null && existsSync(join(kept, "index.json"))) {
        cpSync(kept, dir, { recursive: true });
        console.log(`\n## ${name} (${model}): SciFact with titles, index re-used from ${kept}`);
      } else {
        const built = performance.now();
        const encoder = await createEncoder(model, { splade: { threads: cpus().length } });
        await buildIndexFromCorpus(join(SCIFACT, "corpus.jsonl"), dir, encoder, { title: true });
        await encoder.release();
        console.log(`\n## ${name} (${model}): SciFact with titles indexed in ${((performance.now() - built) / 1000).toFixed(1)} s`);
        if (kept !== null) cpSync(dir, kept, { recursive: true });
      }
      const served = `scifact-${name}`;
      const { child, url } = await startServe(dir, threads, algorithm);
      try {
        await load(url, { connections, duration: 3, requests: searchRequests(claims) }); // warm-up
        const health = await load(url, { connections, duration: Math.min(duration, 10), requests: [{ method: "GET", path: "/health" }] });
        console.log(`GET /health (HTTP ceiling)  ${fmt(health)}`);
        const search = await load(url, { connections, duration, requests: searchRequests(claims) });
        console.log(`search                      ${fmt(search)}`);
        const mixedRun = await mixed(url, served, claims, words, { connections, duration }, name);
        const { load: mix, written } = mixedRun;
        console.log(`mixed 90/10                 ${fmt(mix)}`);
        console.log(
          `  by kind (client-side): searches p50 ${mixedRun.searchP50.toFixed(1)} ms p99 ${mixedRun.searchP99.toFixed(1)} ms; writes p50 ${mixedRun.writeP50.toFixed(1)} ms p99 ${mixedRun.writeP99.toFixed(1)} ms`,
        );
        const check = await verify(url, served, written);
        console.log(
          `acknowledged writes ${written.length}: ${check.byId} read back by id; ${check.found} found by a search for their exact text (${check.first} ranked first, ${check.top10} in the top 10, deepest rank ${check.deepest})`,
        );
        const baseline = await inProcess(dir, model, claims, 5, algorithm as "bmp" | "exhaustive");
        console.log(`in-process (no HTTP, 1 thread): ${baseline.toFixed(0)} queries/s; HTTP search QPS is ${(search.qps / baseline).toFixed(2)}× that and ${(search.qps / health.qps).toFixed(2)}× GET /health`);
        const bad = [health, search, mix].some((l) => l.errors + l.non2xx + l.timeouts > 0) || check.byId !== written.length || check.found !== written.length;
        if (bad) failed = true;
        const { searchP50, searchP99, writeP50, writeP99 } = mixedRun;
        console.log(JSON.stringify({ model: name, connections, duration, health, search, mixed: { ...mix, searchP50, searchP99, writeP50, writeP99 }, written: written.length, ...check, inProcessQps: baseline, ok: !bad }));
      } finally {
        const code = await stopServe(child);
        if (code !== 0) {
          console.log(`splade serve exited with ${code} on SIGTERM`);
          failed = true;
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (failed) {
    console.error("serve benchmark: errors, non-2xx answers or lost writes (see above)");
    process.exitCode = 1;
  }
}
