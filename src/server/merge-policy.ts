/**
 * When to merge, for a writer that commits many small batches (each commit adds a segment): a log-structured
 * policy in the manner of Lucene's LogMergePolicy. A segment's level is floor(log_f(live documents)); once
 * the newest `factor` segments or more are all at or below the level of the newest one, that tail is merged
 * into one segment of the next level (index-writer.ts mergeTail). Only the contiguous tail is ever merged, so
 * insertion order (the tie-break) is preserved, and the number of segments stays O(factor · log_f N).
 */
export function tailToMerge(liveDocCounts: readonly number[], factor: number): number {
  const n = liveDocCounts.length;
  if (n < factor) return -1;
  const level = (docs: number) => Math.floor(Math.log(Math.max(1, docs)) / Math.log(factor));
  const newest = level(liveDocCounts[n - 1]);
  let from = n - 1;
  while (from > 0 && level(liveDocCounts[from - 1]) <= newest) from--;
  return n - from >= factor ? from : -1;
}
