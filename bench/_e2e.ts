/**
 * `splade encode` end to end against the model alone, on the same SciFact documents (title + text), in
 * alternation (bench/encode.ts --e2e-rounds): M E M E … M, where
 *   M (model-only): a process that loads the encoder (graph cache), opens the session on one text, then
 *     times encodeDocument over the documents in memory: the encoder's own docs/s;
 *   E (end to end): `node bin/splade.js encode --title --task document` on the documents as a JSONL file,
 *     timed from process start to exit (start, imports, load from the graph cache, reading, tokenizing,
 *     writing), the compiled package as users run it.
 * Each E is compared with the mean of the M before and after it, which cancels a drift that is linear over
 * the pair (these VMs drift by 10–20 % within minutes); the spread of those ratios is the measurement's error.
 *
 * The same split finer, where drift matters less (pipelineSplit): one process alternates encodeDocument on the
 * texts in memory with encodeFile (what `splade encode` runs after its load: reading the JSONL, tokenizing,
 * encoding, formatting and writing the vectors) on the same documents, and `splade encode` on one document
 * gives the fixed cost of a run (process start, imports, load from the cache, exit).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeFile, SparseEncoder } from "../src/encoder/index.js";
import { SHARED } from "./_paths.js";

const SCIFACT = join(SHARED, "data/scifact");
const OUT = "bench/out";

export interface E2eFlags {
  threads: number;
  batch: number;
  graphCache: string;
}

/** The first `docs` SciFact corpus lines, as a JSONL file (created once). */
function inputFile(docs: number): string {
  const path = `${OUT}/scifact-${docs}.jsonl`;
  if (!existsSync(path)) writeFileSync(path, readFileSync(`${SCIFACT}/corpus.jsonl`, "utf8").split("\n").filter((l) => l.trim() !== "").slice(0, docs).join("\n") + "\n");
  return path;
}

/** What `--title` makes of each record (text-records.ts): title, a space, text; the text alone without a title. */
function texts(docs: number): string[] {
  return readFileSync(inputFile(docs), "utf8").split("\n").filter((l) => l !== "").map((l) => {
    const d = JSON.parse(l) as { title?: string; text: string };
    return d.title ? `${d.title} ${d.text}` : d.text;
  });
}

/** Child role "model-only": docs/s of encodeDocument over the documents, after the load and a first vector. */
export async function modelOnly(model: string, quantize: boolean, docs: number, f: E2eFlags): Promise<{ seconds: number }> {
  const input = texts(docs);
  const encoder = await SparseEncoder.fromPretrained(model, { threads: f.threads, quantize: quantize ? "int8" : undefined, graphCache: f.graphCache });
  await encoder.encodeDocument(["the session opens on the first text"]);
  const t0 = performance.now();
  await encoder.encodeDocument(input, { batchSize: f.batch });
  const seconds = (performance.now() - t0) / 1000;
  await encoder.release();
  return { seconds };
}

/** Child role "pipeline": `rounds` alternations of encodeDocument (texts in memory) and encodeFile (JSONL in, vectors out). */
export async function pipeline(model: string, quantize: boolean, docs: number, rounds: number, f: E2eFlags): Promise<{ model: number[]; file: number[] }> {
  const input = texts(docs);
  const output = `${OUT}/pipeline-${quantize ? "int8" : "fp32"}.jsonl`;
  const encoder = await SparseEncoder.fromPretrained(model, { threads: f.threads, quantize: quantize ? "int8" : undefined, graphCache: f.graphCache });
  await encoder.encodeDocument(["the session opens on the first text"]);
  const times = { model: [] as number[], file: [] as number[] };
  const time = async (run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    return (performance.now() - t0) / 1000;
  };
  for (let r = 0; r < rounds; r++) {
    times.model.push(await time(() => encoder.encodeDocument(input, { batchSize: f.batch })));
    times.file.push(await time(() => encodeFile(encoder, inputFile(docs), output, { title: true, task: "document", batchSize: f.batch })));
  }
  times.model.push(await time(() => encoder.encodeDocument(input, { batchSize: f.batch })));
  await encoder.release();
  rmSync(output, { force: true });
  return times;
}

/**
 * The split: encodeFile against encodeDocument in one process (each file pass against the mean of the model
 * passes around it), and the fixed cost of a `splade encode` run (median of three runs on one document).
 */
export function pipelineSplit(model: string, quantize: boolean, docs: number, rounds: number, f: E2eFlags, child: () => { model: number[]; file: number[] }): void {
  const label = quantize ? "int8" : "fp32";
  cliRun(model, quantize, 1, f, f.graphCache); // untimed: the compiled package's graph-cache entry
  const fixed = median([0, 1, 2].map(() => cliRun(model, quantize, 1, f, f.graphCache)));
  const t = child();
  const ratios = t.file.map((file, r) => (t.model[r] + t.model[r + 1]) / 2 / file);
  const modelS = median(t.model);
  console.log(`  ${label} ${docs} docs in one process: encodeDocument ${t.model.map((s) => s.toFixed(2)).join(", ")} s; encodeFile ${t.file.map((s) => s.toFixed(2)).join(", ")} s`);
  console.log(
    `${label} pipeline: encodeFile at ${(100 * median(ratios)).toFixed(1)} % of encodeDocument's rate (median of ${rounds}; range ${(100 * Math.min(...ratios)).toFixed(1)}–${(100 * Math.max(...ratios)).toFixed(1)} %); ` +
      `fixed cost of a splade encode run ${fixed.toFixed(2)} s (start, load from the cache, one document, exit); ` +
      `so ${docs} documents end to end at ${((100 * modelS) / (modelS / median(ratios) + fixed)).toFixed(1)} % of the model-only rate, the whole corpus (5,183) at ${((100 * (5183 / docs) * modelS) / ((5183 / docs) * (modelS / median(ratios)) + fixed)).toFixed(1)} %`,
  );
}

/** One `splade encode` run over the documents, timed from process start to exit. */
function cliRun(model: string, quantize: boolean, docs: number, f: E2eFlags, graphCache: string): number {
  const input = inputFile(docs);
  const args = ["bin/splade.js", "encode", "--model", model, "--input", input, "--title", "--task", "document", "--batch-size", String(f.batch)];
  args.push("--output", `${OUT}/e2e-${quantize ? "int8" : "fp32"}.jsonl`, "--threads", String(f.threads), ...(quantize ? ["--quantize", "int8"] : []));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, SPLADE_CACHE_DIR: graphCache } });
  if (r.status !== 0) throw new Error(`splade encode failed: ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`);
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * `rounds` end-to-end runs between rounds + 1 model-only runs; prints each and the ratios. `child(…)` runs the
 * model-only role in a fresh process. The compiled package (dist/) must be current.
 */
export function interleaved(model: string, quantize: boolean, docs: number, rounds: number, f: E2eFlags, child: () => { seconds: number }): void {
  const label = quantize ? "int8" : "fp32";
  cliRun(model, quantize, 1, f, f.graphCache); // untimed: the compiled package's graph-cache entry, as a user's first run
  const m: number[] = [child().seconds];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const e = cliRun(model, quantize, docs, f, f.graphCache);
    m.push(child().seconds);
    const around = (m[r] + m[r + 1]) / 2;
    ratios.push(around / e);
    console.log(`  ${label} ${docs} docs: model-only ${m[r].toFixed(1)} s, end to end ${e.toFixed(1)} s (${(docs / e).toFixed(2)} docs/s), model-only ${m[r + 1].toFixed(1)} s: end to end = ${(100 * ratios[r]).toFixed(1)} % of the model-only rate`);
  }
  const spread = `${(100 * Math.min(...ratios)).toFixed(1)}–${(100 * Math.max(...ratios)).toFixed(1)} %`;
  console.log(`splade encode ${label}, ${docs} SciFact docs: end to end at ${(100 * median(ratios)).toFixed(1)} % of the model-only rate (median of ${rounds}; range ${spread}); model-only ${(docs / median(m)).toFixed(2)} docs/s`);
}
