/** Small indexes for the server tests, built through the same app functions as `splade index build`. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEncoder } from "../../../src/app/encoders.js";
import { buildIndexFromCorpus } from "../../../src/app/index-corpus.js";

export { tempDir } from "../../helpers/temp-dir.js";

export const SPLADE_MODEL = "test/fixtures/tiny-bert-splade";

/** A dozen short documents about a few topics, so that BM25 rankings are easy to reason about. */
export const CORPUS = [
  { _id: "d1", title: "Tides", text: "The moon's gravity causes ocean tides on the earth." },
  { _id: "d2", title: "Solar tides", text: "The sun also raises tides, weaker than the lunar ones." },
  { _id: "d3", title: "Volcanoes", text: "Magma rises through the crust and erupts from volcanoes." },
  { _id: "d4", title: "Earthquakes", text: "Plates of the crust slip along faults and shake the ground." },
  { _id: "d5", title: "Photosynthesis", text: "Plants turn light, water and carbon dioxide into sugar." },
  { _id: "d6", title: "Respiration", text: "Cells burn sugar with oxygen and release carbon dioxide." },
  { _id: "d7", title: "Vaccines", text: "Vaccines train the immune system to recognise a virus." },
  { _id: "d8", title: "Antibiotics", text: "Antibiotics kill bacteria but do not work against a virus." },
  { _id: "d9", title: "", text: "Ocean currents carry heat from the equator toward the poles." },
  { _id: "d10", title: "Glaciers", text: "Glaciers carve valleys as the ice slowly moves downhill." },
  { _id: "d11", title: "Rainbows", text: "Light refracts in raindrops and splits into colours." },
  { _id: "d12", title: "Lightning", text: "Charge builds up in storm clouds until lightning strikes." },
];


/** Builds an index of `corpus` with `model` ("bm25" or a SPLADE folder) into `parent/name`; returns its path. */
export async function buildIndex(parent: string, name: string, model = "bm25", corpus: ReadonlyArray<{ _id: string; title: string; text: string }> = CORPUS): Promise<string> {
  const corpusPath = join(parent, `${name}.jsonl`);
  writeFileSync(corpusPath, corpus.map((d) => JSON.stringify(d)).join("\n") + "\n");
  const encoder = await createEncoder(model, { splade: { threads: 1 } });
  try {
    const out = join(parent, name);
    await buildIndexFromCorpus(corpusPath, out, encoder, { title: true });
    return out;
  } finally {
    await encoder.release();
  }
}
