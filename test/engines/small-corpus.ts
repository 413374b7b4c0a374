/** A small BEIR-style corpus and queries shared by the engine tests (45 documents, 6 queries). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const CORPUS = [
  { _id: "tides", title: "Ocean tides", text: "Tides are caused by the gravitational pull of the moon and the sun on the oceans." },
  { _id: "vitd", title: "Vitamin D", text: "Vitamin D deficiency is associated with bone disease and muscle weakness." },
  { _id: "photo", title: "Photosynthesis", text: "Plants convert light energy into chemical energy through photosynthesis." },
  { _id: "volcano", title: "Volcanoes", text: "A volcano erupts when magma rises through the crust of the earth... e.g. Etna." },
  { _id: "insulin", title: "Insulin", text: "Insulin regulates blood glucose; diabetes follows when insulin signalling fails (50% of cases)." },
  ...Array.from({ length: 40 }, (_, i) => ({ _id: `filler-${i}`, title: `Note ${i}`, text: `An unrelated note number ${i} about ${["cats", "trains", "music", "weather"][i % 4]}.` })),
];

export const QUERIES = [
  { _id: "q1", text: "what causes ocean tides?" },
  { _id: "q2", text: "vitamin D deficiency" },
  { _id: "q3", text: "insulin and diabetes, 50%" },
  { _id: "q4", text: "volcano... magma" },
  { _id: "q5", text: "notes about trains and music" },
  { _id: "q6", text: "zzzz qqqq" },
];

export function writeSmallCorpus(dir: string): { corpus: string; queries: string } {
  const corpus = join(dir, "corpus.jsonl");
  const queries = join(dir, "queries.jsonl");
  writeFileSync(corpus, CORPUS.map((d) => JSON.stringify(d)).join("\n") + "\n");
  writeFileSync(queries, QUERIES.map((q) => JSON.stringify(q)).join("\n") + "\n");
  return { corpus, queries };
}

/** Parses `splade search --json` output into [queryId, [[id, score]…]]. */
export function parseJsonRun(stdout: string): Array<[string, Array<[string, number]>]> {
  return stdout.trim().split("\n").filter((l) => l !== "").map((line) => {
    const r = JSON.parse(line) as { query_id: string; hits: Array<{ id: string; score: number }> };
    return [r.query_id, r.hits.map((h) => [h.id, h.score] as [string, number])];
  });
}
