/**
 * Index settings with their defaults filled in (defaults.ts) and validated: layout (block and superblock
 * sizes, reordering), stored impact type, weighting (none, or BM25 with k1 and b), and the approximate-search
 * structures' build knobs (or false: none).
 */
import { APPROXIMATE_BUILD_DEFAULTS, BM25_DEFAULTS, INDEX_DEFAULTS } from "./defaults.js";
import { validateBm25Parameters } from "./bm25.js";
import type { IndexSettings } from "./manifest.js";
import type { ApproximateSettings } from "./clustered-lists.js";
import { check } from "../util/errors.js";
import { REORDERINGS } from "./reorder.js";

function resolveApproximate(given: Partial<ApproximateSettings>): ApproximateSettings {
  const resolved = { ...APPROXIMATE_BUILD_DEFAULTS, ...given };
  const positive = (name: keyof ApproximateSettings, integer: boolean) => {
    const v = resolved[name];
    check(typeof v === "number" && v > 0 && Number.isFinite(v) && (!integer || Number.isInteger(v)), `approximate.${name} must be a positive ${integer ? "integer" : "number"}, got ${String(v)}`);
  };
  positive("postingsPerTerm", true);
  positive("maxPostingsFactor", false);
  positive("clusterSize", true);
  positive("summaryEnergy", false);
  positive("summaryComponents", true);
  check(resolved.summaryEnergy <= 1, `approximate.summaryEnergy must be in (0, 1], got ${resolved.summaryEnergy}`);
  check(resolved.summaryComponents <= 255, `approximate.summaryComponents must be at most 255, got ${resolved.summaryComponents}`);
  return resolved;
}

export function resolveSettings(settings: Partial<IndexSettings> = {}): IndexSettings {
  const weighting = settings.weighting ?? { kind: "none" };
  const resolved: IndexSettings = {
    blockSize: settings.blockSize ?? INDEX_DEFAULTS.blockSize,
    superblockSize: settings.superblockSize ?? INDEX_DEFAULTS.superblockSize,
    impact: settings.impact ?? INDEX_DEFAULTS.impact,
    reorder: settings.reorder ?? INDEX_DEFAULTS.reorder,
    weighting: weighting.kind === "bm25" ? { kind: "bm25", k1: weighting.k1 ?? BM25_DEFAULTS.k1, b: weighting.b ?? BM25_DEFAULTS.b } : { kind: "none" },
    approximate: settings.approximate === false ? false : resolveApproximate(settings.approximate ?? {}),
  };
  if (resolved.weighting.kind === "bm25") validateBm25Parameters(resolved.weighting);
  check(resolved.impact === "f32" || resolved.impact === "u8", `impact must be "f32" or "u8", got ${String(resolved.impact)}`);
  check(REORDERINGS.includes(resolved.reorder), `reorder must be one of ${REORDERINGS.join(", ")}, got ${String(resolved.reorder)}`);
  return resolved;
}
