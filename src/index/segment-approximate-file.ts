/**
 * The approximate-search sections of a segment file (format version 2; segment-file.ts): the forward index
 * (forward-index.ts) and the clustered lists with their summaries (clustered-lists.ts), one section per
 * array, loaded as typed-array views. Term positions are u16 or u32 (by the segment's term count; the
 * section's declared type says which). Loading checks the O(1) invariants (lengths, end offsets) so that an
 * inconsistent file is an error naming it, never a wrong result; checksums cover the rest.
 * Shapes: N documents, P postings, T terms, C clusters, L pruned postings, G summary groups, E entries.
 */
import { SpladeError } from "../util/errors.js";
import { sectionArray, type BinaryFile, type SectionType } from "./binary-file.js";
import type { ApproximateIndex } from "./segment.js";

const FIXED: Record<string, SectionType> = {
  forwardStart: "u32", forwardCodes: "u8", forwardScale: "f32", termClusterStart: "u32", clusterDocStart: "u32",
  clusterDocs: "u32", clusterScale: "f32", termGroupStart: "u32", groupEnd: "u16", termEntryStart: "u32",
  entryCluster: "u8", entryCode: "u8",
};

/** Whether a section of a segment file belongs to the approximate-search structures. */
export function isApproximateSection(name: string): boolean {
  return Object.hasOwn(FIXED, name) || name === "forwardTerms" || name === "summaryTerms";
}

/** Section type of an approximate array (term positions: by their array type). */
export function approximateSectionType(name: string, data: ArrayBufferView): SectionType {
  if (name === "forwardTerms" || name === "summaryTerms") return data instanceof Uint16Array ? "u16" : "u32";
  const type = FIXED[name];
  if (type === undefined) throw new RangeError(`unknown segment array ${name}`);
  return type;
}

export function readApproximateSections(file: BinaryFile, path: string, sizes: { docCount: number; postingCount: number; termCount: number }): ApproximateIndex {
  const invalid = (problem: string): never => {
    throw new SpladeError("INVALID_FILE", `${path}: inconsistent segment (${problem})`, { path });
  };
  const termPositions = (name: string) => {
    const type = file.sections.get(name)?.type;
    return type === "u16" ? sectionArray(file, path, name, "u16") : sectionArray(file, path, name, "u32");
  };
  const u32 = (name: string) => sectionArray(file, path, name, "u32");
  const { docCount: N, postingCount: P, termCount: T } = sizes;
  const a: ApproximateIndex = {
    forwardStart: u32("forwardStart"),
    forwardTerms: termPositions("forwardTerms"),
    forwardCodes: sectionArray(file, path, "forwardCodes", "u8"),
    forwardScale: sectionArray(file, path, "forwardScale", "f32"),
    termClusterStart: u32("termClusterStart"),
    clusterDocStart: u32("clusterDocStart"),
    clusterDocs: u32("clusterDocs"),
    clusterScale: sectionArray(file, path, "clusterScale", "f32"),
    termGroupStart: u32("termGroupStart"),
    summaryTerms: termPositions("summaryTerms"),
    groupEnd: sectionArray(file, path, "groupEnd", "u16"),
    termEntryStart: u32("termEntryStart"),
    entryCluster: sectionArray(file, path, "entryCluster", "u8"),
    entryCode: sectionArray(file, path, "entryCode", "u8"),
  };
  if (a.forwardStart.length !== N + 1 || a.forwardStart[N] !== P || a.forwardTerms.length !== P || a.forwardCodes.length !== P || a.forwardScale.length !== T) invalid("forward index");
  const C = a.clusterScale.length;
  if (a.termClusterStart.length !== T + 1 || a.termClusterStart[T] !== C || a.clusterDocStart.length !== C + 1 || a.clusterDocStart[C] !== a.clusterDocs.length) invalid("clustered lists");
  const G = a.summaryTerms.length;
  const E = a.entryCode.length;
  if (a.termGroupStart.length !== T + 1 || a.termGroupStart[T] !== G || a.groupEnd.length !== G) invalid("summary groups");
  if (a.termEntryStart.length !== T + 1 || a.termEntryStart[T] !== E || a.entryCluster.length !== E) invalid("summary entries");
  return a;
}
