#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Node 20's `--test` does not expand globs, so the files are listed here. Arguments filter by substring:
//   node scripts/run-tests.mjs tokenizer index/
// Node 20's runner has no global setup, so the one shared service lives here: when a selected file starts an
// OpenSearch node (test/helpers/opensearch-node.ts), a single node is started for the whole run
// (test/helpers/opensearch-node-main.ts), passed to the files as SPLADE_TEST_OPENSEARCH_URL, and stopped after.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawn } from "node:child_process";

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : walk(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Starts the shared OpenSearch node; resolves with its URL and a stop function. */
function startSharedOpenSearch() {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/opensearch-node-main.ts"], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
      const ready = /READY (\S+)/.exec(output);
      if (ready) resolve({ url: ready[1], stop });
    });
    exited.then((code) => reject(new Error(`the shared OpenSearch node could not start (exit ${code})`)));
  });
}

const filters = process.argv.slice(2);
const files = walk("test")
  .map((f) => relative(".", f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}
const env = { ...process.env };
// The CLI caches optimized graphs (src/encoder/graph-cache.ts, $SPLADE_CACHE_DIR): commands the tests run
// use a fresh folder per run, not ~/.cache.
const cacheDir = env.SPLADE_CACHE_DIR ? undefined : mkdtempSync(join(tmpdir(), "splade-test-graphs-"));
if (cacheDir) env.SPLADE_CACHE_DIR = cacheDir;
let opensearch;
if (!env.SPLADE_TEST_OPENSEARCH_URL && files.some((f) => readFileSync(f, "utf8").includes("startOpenSearchNode("))) {
  const started = Date.now();
  opensearch = await startSharedOpenSearch();
  env.SPLADE_TEST_OPENSEARCH_URL = opensearch.url;
  console.error(`# shared OpenSearch node at ${opensearch.url} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
const runner = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], { stdio: "inherit", env });
const forward = (signal) => runner.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
const code = await new Promise((resolve) => runner.once("exit", (status) => resolve(status ?? 1)));
await opensearch?.stop();
if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
process.exit(code);
