/**
 * Cluster summaries of approximate search (clustered-lists.ts), after Seismic (Bruch et al., SIGIR 2024): a
 * cluster's summary is the component-wise maximum of its documents' vectors, cut to its heaviest components
 * holding `summaryEnergy` of its L1 mass (Seismic's energy-preserving summaries) and to at most
 * `summaryComponents` of them, in u8 codes on a per-cluster scale (value = code · clusterScale).
 *
 * A list's summaries are stored inverted, as Seismic does: for each component (ascending), the clusters that
 * have it and their codes. The dot products of a query with all of a list's summaries then cost a search of
 * each query term among the list's components and a pass over the matching entries only
 * (approximate-search.ts), instead of a pass over every entry. Offsets inside a list are u16 (a list has at
 * most 256 clusters of at most 255 components) and cluster numbers u8, so an entry costs 2 bytes and a
 * component 4 (term u16, end u16) for BERT-size vocabularies.
 * Shapes: T terms, C clusters, G (list, component) groups, E entries.
 */
import { GrowableArray } from "./growable.js";
import { U16_TERMS, type ForwardIndex } from "./forward-index.js";
import type { ApproximateSettings } from "./clustered-lists.js";

export interface Summaries {
  readonly clusterScale: Float32Array; // [C]
  readonly termGroupStart: Uint32Array; // [T+1] → groups of the term's list
  readonly summaryTerms: Uint16Array | Uint32Array; // [G] component (term position), ascending per list
  readonly groupEnd: Uint16Array; // [G] end of the group's entries, relative to the list's first entry
  readonly termEntryStart: Uint32Array; // [T+1] → entries of the term's list
  readonly entryCluster: Uint8Array; // [E] cluster number within the list
  readonly entryCode: Uint8Array; // [E]
}

const ENERGY_BUCKETS = 64;

export function buildSummaries(forward: ForwardIndex, termClusterStart: Uint32Array, clusterDocStart: Uint32Array, clusterDocs: Uint32Array, settings: ApproximateSettings): Summaries {
  const T = termClusterStart.length - 1;
  const C = termClusterStart[T];
  const clusterScale = new Float32Array(C);
  const termGroupStart = new Uint32Array(T + 1);
  const termEntryStart = new Uint32Array(T + 1);
  const summaryTerms = new GrowableArray<Uint16Array | Uint32Array>((T <= U16_TERMS ? Uint16Array : Uint32Array) as Uint32ArrayConstructor, 1 << 16);
  const groupEnd = new GrowableArray(Uint16Array, 1 << 16);
  const entryCluster = new GrowableArray(Uint8Array, 1 << 16);
  const entryCode = new GrowableArray(Uint8Array, 1 << 16);
  const summarizer = new Summarizer(forward, T, settings);
  // One list's entries before inversion, and the per-component counts (dense, reset per list).
  const maxEntries = 256 * settings.summaryComponents;
  const listTerm = new Uint32Array(maxEntries);
  const listCluster = new Uint8Array(maxEntries);
  const listCode = new Uint8Array(maxEntries);
  const slot = new Int32Array(T);
  const components = new Uint32Array(Math.min(T, maxEntries));
  const cursor = new Uint16Array(Math.min(T, maxEntries) + 1);
  for (let t = 0; t < T; t++) {
    let E = 0;
    let G = 0;
    for (let c = termClusterStart[t]; c < termClusterStart[t + 1]; c++) {
      const summary = summarizer.summarize(clusterDocs, clusterDocStart[c], clusterDocStart[c + 1]);
      clusterScale[c] = summary.scale;
      for (let i = 0; i < summary.count; i++) {
        const component = summary.terms[i];
        if (slot[component] === 0) components[G++] = component;
        slot[component]++;
        listTerm[E] = component;
        listCluster[E] = c - termClusterStart[t];
        listCode[E++] = summary.codes[i];
      }
    }
    // Invert: components ascending, clusters ascending within a component (the order they came in).
    const sorted = components.subarray(0, G).sort();
    let end = 0;
    for (let g = 0; g < G; g++) {
      cursor[g] = end;
      end += slot[sorted[g]];
      slot[sorted[g]] = g; // now: the component's group
      summaryTerms.push(sorted[g]);
      groupEnd.push(end);
    }
    const base = entryCode.length;
    entryCluster.extend(E);
    entryCode.extend(E);
    const clusters = entryCluster.view();
    const codes = entryCode.view();
    for (let e = 0; e < E; e++) {
      const at = base + cursor[slot[listTerm[e]]]++;
      clusters[at] = listCluster[e];
      codes[at] = listCode[e];
    }
    for (let g = 0; g < G; g++) slot[sorted[g]] = 0;
    termGroupStart[t + 1] = summaryTerms.length;
    termEntryStart[t + 1] = entryCode.length;
  }
  return {
    clusterScale,
    termGroupStart,
    summaryTerms: summaryTerms.toArray(),
    groupEnd: groupEnd.toArray(),
    termEntryStart,
    entryCluster: entryCluster.toArray(),
    entryCode: entryCode.toArray(),
  };
}

/**
 * Energy-preserving summaries of sets of documents (reused buffers), from each document's
 * `summaryComponents` heaviest postings only (the prefix of its forward postings): a summary keeps at
 * most that many components, and a component among a cluster maximum's heaviest is (all but always) among
 * one of its documents' heaviest — at a quarter of the cost.
 */
class Summarizer {
  private readonly max: Float32Array; // [T] dense, reset after each summary
  private readonly touched: Uint32Array; // [T]
  private readonly mass = new Float64Array(ENERGY_BUCKETS);
  private readonly count = new Int32Array(ENERGY_BUCKETS);
  readonly terms: Uint32Array;
  readonly codes: Uint8Array;

  constructor(
    private readonly forward: ForwardIndex,
    T: number,
    private readonly settings: ApproximateSettings,
  ) {
    this.max = new Float32Array(T);
    this.touched = new Uint32Array(T);
    this.terms = new Uint32Array(T);
    this.codes = new Uint8Array(T);
  }

  /**
   * Summary of documents docs[from..to): the heaviest components of their maximum holding `summaryEnergy`
   * of its mass (to a 1/64 bucket of the largest value), at most `summaryComponents`.
   */
  summarize(docs: Uint32Array, from: number, to: number): { count: number; scale: number; terms: Uint32Array; codes: Uint8Array } {
    const { forwardStart, forwardTerms, forwardCodes, forwardScale } = this.forward;
    const { max, touched, mass, count } = this;
    const prefix = this.settings.summaryComponents;
    let n = 0;
    let top = 0;
    let total = 0;
    for (let i = from; i < to; i++) {
      const d = docs[i];
      for (let p = forwardStart[d], end = Math.min(forwardStart[d + 1], p + prefix); p < end; p++) {
        const t = forwardTerms[p];
        const v = forwardCodes[p] * forwardScale[t];
        const had = max[t];
        if (had === 0) touched[n++] = t;
        if (v > had) max[t] = v;
      }
    }
    for (let i = 0; i < n; i++) {
      const v = max[touched[i]];
      total += v;
      if (v > top) top = v;
    }
    // Walk value buckets (linear in [0, top]) down from the largest until the energy or the cap is reached.
    mass.fill(0);
    count.fill(0);
    const scale = (ENERGY_BUCKETS - 1) / top;
    for (let i = 0; i < n; i++) {
      const b = Math.floor(max[touched[i]] * scale);
      mass[b] += max[touched[i]];
      count[b]++;
    }
    const cap = this.settings.summaryComponents;
    let threshold = ENERGY_BUCKETS - 1;
    let kept = count[threshold];
    for (let acc = mass[threshold]; acc < this.settings.summaryEnergy * total && kept < cap && threshold > 0; acc += mass[--threshold]) kept += count[threshold - 1];
    let quota = cap - (kept - count[threshold]); // room left in the threshold bucket
    const codeScale = top / 255;
    let out = 0;
    for (let i = 0; i < n; i++) {
      const t = touched[i];
      const v = max[t];
      max[t] = 0;
      const b = Math.floor(v * scale);
      if (b < threshold || (b === threshold && quota-- <= 0)) continue;
      const c = Math.round(v / codeScale);
      this.terms[out] = t;
      this.codes[out++] = c < 1 ? 1 : c > 255 ? 255 : c;
    }
    return { count: out, scale: codeScale, terms: this.terms, codes: this.codes };
  }
}
