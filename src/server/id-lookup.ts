/**
 * Document id → ordinal over a SparseIndex snapshot. Each segment's ids are mapped once (segments are
 * immutable, so the map is cached on the segment object and shared by every later snapshot that still holds
 * it); a lookup asks the segments newest first and skips deleted positions. Ids are unique among live
 * documents (index-writer.ts refuses a live duplicate), so the first live match is the document.
 * Cost: O(segments) per lookup; O(N) once per segment.
 */
import type { SparseIndex } from "../index/sparse-index.js";
import { segmentDocId, type Segment } from "../index/segment.js";
import { isDeleted } from "../index/segment-query.js";

const idMaps = new WeakMap<Segment, Map<string, number>>();

function idMap(segment: Segment): Map<string, number> {
  let map = idMaps.get(segment);
  if (map === undefined) {
    map = new Map();
    for (let position = 0; position < segment.docCount; position++) map.set(segmentDocId(segment, position), position);
    idMaps.set(segment, map);
  }
  return map;
}

/** The ordinal of the live document `id`, or -1. */
export function findOrdinal(index: SparseIndex, id: string): number {
  for (let s = index.segments.length - 1; s >= 0; s--) {
    const live = index.segments[s];
    const position = idMap(live.segment).get(id);
    if (position !== undefined && !isDeleted(live.deleted, position)) return live.baseOrdinal + position;
  }
  return -1;
}
