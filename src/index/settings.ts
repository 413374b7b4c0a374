/**
 * Index settings with their defaults filled in (defaults.ts) and validated: layout (block and superblock
 * sizes, reordering), stored impact type, and weighting (none, or BM25 with k1 and b).
 */
import { BM25_DEFAULTS, INDEX_DEFAULTS } from "./defaults.js";
import { validateBm25Parameters } from "./bm25.js";
import type { IndexSettings } from "./manifest.js";
import { check } from "../util/errors.js";

export function resolveSettings(settings: Partial<IndexSettings> = {}): IndexSettings {
  const weighting = settings.weighting ?? { kind: "none" };
  const resolved: IndexSettings = {
    blockSize: settings.blockSize ?? INDEX_DEFAULTS.blockSize,
    superblockSize: settings.superblockSize ?? INDEX_DEFAULTS.superblockSize,
    impact: settings.impact ?? INDEX_DEFAULTS.impact,
    reorder: settings.reorder ?? INDEX_DEFAULTS.reorder,
    weighting: weighting.kind === "bm25" ? { kind: "bm25", k1: weighting.k1 ?? BM25_DEFAULTS.k1, b: weighting.b ?? BM25_DEFAULTS.b } : { kind: "none" },
  };
  if (resolved.weighting.kind === "bm25") validateBm25Parameters(resolved.weighting);
  check(resolved.impact === "f32" || resolved.impact === "u8", `impact must be "f32" or "u8", got ${String(resolved.impact)}`);
  check(resolved.reorder === "none" || resolved.reorder === "top-terms", `reorder must be "none" or "top-terms", got ${String(resolved.reorder)}`);
  return resolved;
}
