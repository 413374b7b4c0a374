/**
 * Build phase of the search benchmark (bench/search.ts; files starting with "_" are not benchmarks): streams
 * the synthetic corpus (bench/_synthetic-splade.ts) into `createIndex` — the library's writer, which flushes
 * a segment file every `maxSegmentPostings` postings — and records, in `<dir>/bench-build.json`, the corpus
 * parameters, the time spent generating documents (not part of the build), the build time, the peak RSS and
 * the index size. A later search phase opens the index from disk, so search RSS is measured alone.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createIndex } from "../src/index/index-writer.js";
import { SparseIndex } from "../src/index/sparse-index.js";
import type { IndexSettings } from "../src/index/manifest.js";
import type { IndexDocument } from "../src/index/segment-builder.js";
import { segmentApproximateBytes, segmentSearchBytes } from "../src/index/segment.js";
import { SyntheticSpladeCorpus, type GeneratorKind } from "./_synthetic-splade.js";
import type { SpladeQuery } from "./_splade-queries.js";

export interface CorpusSpec {
  readonly docs: number;
  readonly generator: GeneratorKind;
  readonly seed: number;
  readonly settings: Partial<IndexSettings>;
}

export interface BuildRecord {
  readonly spec: CorpusSpec;
  readonly date: string;
  readonly generateS: number;
  /** Build time excluding the corpus generator's own time (which, with background segment builds, overlaps them). */
  readonly buildS: number;
  /** Wall time from the first document to the committed index, corpus generation included. */
  readonly wallS?: number;
  readonly peakRssBytes: number;
  readonly segmentCount: number;
  readonly postingCount: number;
  readonly exactBytesPerPosting: number;
  readonly approximateBytesPerPosting: number;
  readonly fileBytes: number;
}

const RECORD = "bench-build.json";

/** The build record of `dir` if it holds an index of exactly this corpus. */
export function existingBuild(dir: string, spec: CorpusSpec): BuildRecord | null {
  const path = join(dir, RECORD);
  if (!existsSync(path)) return null;
  const record = JSON.parse(readFileSync(path, "utf8")) as BuildRecord;
  return JSON.stringify(record.spec) === JSON.stringify(spec) ? record : null;
}

export async function buildCorpusIndex(dir: string, spec: CorpusSpec, queries: readonly SpladeQuery[], topics: readonly SpladeQuery[], vocabSize: number, log: (line: string) => void): Promise<BuildRecord> {
  const corpus = new SyntheticSpladeCorpus(queries, topics, { seed: spec.seed, vocabSize, kind: spec.generator });
  let generateMs = 0;
  function* documents(): Generator<IndexDocument> {
    for (let d = 0; d < spec.docs; d++) {
      const t0 = performance.now();
      const vector = corpus.next();
      generateMs += performance.now() - t0;
      yield { id: String(d), vector };
    }
  }
  const t0 = performance.now();
  let lastLog = t0;
  await createIndex(dir, documents(), {
    overwrite: true,
    settings: spec.settings,
    onProgress: ({ phase, done }) => {
      const now = performance.now();
      if (phase === "write" || now - lastLog > 60_000) {
        lastLog = now;
        log(`  ${phase === "write" ? "writing a segment" : "indexed"} at ${done} documents, ${((now - t0) / 1000).toFixed(0)} s, RSS ${(process.memoryUsage().rss / 2 ** 30).toFixed(1)} GiB`);
      }
    },
  });
  const totalS = (performance.now() - t0) / 1000;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const index = await SparseIndex.open(dir, { verify: false });
  const stats = index.stats();
  const exact = index.segments.reduce((n, s) => n + segmentSearchBytes(s.segment), 0);
  const approximate = index.segments.reduce((n, s) => n + segmentApproximateBytes(s.segment), 0);
  const manifest = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { segments: Array<{ sizeBytes: number }> };
  const record: BuildRecord = {
    spec,
    date: new Date().toISOString(),
    generateS: generateMs / 1000,
    buildS: totalS - generateMs / 1000,
    wallS: totalS,
    peakRssBytes,
    segmentCount: stats.segmentCount,
    postingCount: stats.postingCount,
    exactBytesPerPosting: exact / stats.postingCount,
    approximateBytesPerPosting: approximate / stats.postingCount,
    fileBytes: manifest.segments.reduce((n, s) => n + s.sizeBytes, 0),
  };
  writeFileSync(join(dir, RECORD), JSON.stringify(record, null, 2) + "\n");
  return record;
}
