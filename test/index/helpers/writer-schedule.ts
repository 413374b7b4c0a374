/**
 * A deterministic schedule of index writes, one per generation, so that the state after any generation can
 * be recomputed in memory: generation 1 creates the index with batch 1; then, cycling, generation g adds
 * batch g (g % 3 == 2), deletes every 5th document of the latest batch (g % 3 == 0), or merges (g % 3 == 1).
 */
import { createIndex, addDocuments, deleteDocuments, mergeIndex } from "../../../src/index/index-writer.js";
import type { IndexDocument } from "../../../src/index/segment-builder.js";
import { syntheticVector } from "./corpus.js";

export const BATCH = 12_000;

function batch(g: number): IndexDocument[] {
  return Array.from({ length: BATCH }, (_, i) => ({ id: `g${g}-${i}`, vector: syntheticVector(g, i, 3000, 16) }));
}

function latestBatch(g: number): number {
  return g % 3 === 2 || g === 1 ? g : g % 3 === 0 ? g - 1 : g - 2;
}

function doomed(g: number): string[] {
  const b = latestBatch(g);
  return Array.from({ length: BATCH / 5 }, (_, i) => `g${b}-${i * 5}`);
}

/** Applies the operation of generation g (the index must be at g − 1); returns g. */
export async function applyOperation(dir: string, g: number): Promise<number> {
  const settings = { blockSize: 16, superblockSize: 4 };
  if (g === 1) await createIndex(dir, batch(1), { settings });
  else if (g % 3 === 2) await addDocuments(dir, batch(g));
  else if (g % 3 === 0) await deleteDocuments(dir, doomed(g));
  else await mergeIndex(dir);
  return g;
}

/** The live documents, in insertion order, after generation g. */
export function expectedDocuments(g: number): IndexDocument[] {
  let live: IndexDocument[] = [];
  for (let h = 1; h <= g; h++) {
    if (h === 1 || h % 3 === 2) live = [...live, ...batch(h)];
    else if (h % 3 === 0) {
      const gone = new Set(doomed(h));
      live = live.filter((d) => !gone.has(d.id));
    }
  }
  return live;
}
