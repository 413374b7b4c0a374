/**
 * The forward (document-major) index of a segment, for approximate search (approximate-search.ts): each
 * document's terms, as positions in segment.termIds, with its weights quantized to u8 codes on a per-term
 * scale — value ≈ code · forwardScale[term], with forwardScale[t] = (largest weight of t) / 255 — heaviest
 * first (ties by term), so that a prefix of a document is its heaviest terms: approximate search scores
 * candidates on a prefix first, and clustered-lists.ts summarizes prefixes. A candidate's approximate score
 * is Σ (w_q · forwardScale[q]) · code, one multiply-add per posting with the query's scaled weights in a
 * dense array. Final scores never come from here: the candidates kept are rescored exactly from the
 * term-major postings (exact-rescore.ts).
 *
 * Term positions are u16 when the segment holds at most 65,536 distinct terms (every BERT-vocabulary model:
 * 30,522), u32 otherwise. Documents are in internal (reordered) order, so a block's documents are adjacent.
 * Shapes: N documents, P postings, T terms.
 */
import type { ForwardInput } from "./block-layout.js";

export interface ForwardIndex {
  readonly forwardStart: Uint32Array; // [N+1] by internal document
  readonly forwardTerms: Uint16Array | Uint32Array; // [P] positions in termIds, heaviest first per document (ties by term)
  readonly forwardCodes: Uint8Array; // [P]
  readonly forwardScale: Float32Array; // [T]
}

/** Term positions are stored in u16 up to this many distinct terms. */
export const U16_TERMS = 65536;

export function buildForwardIndex(input: ForwardInput, termIds: Uint32Array): ForwardIndex {
  const { docStart, terms, impacts, u8Values, order } = input;
  const N = order.length;
  const P = terms.length;
  const T = termIds.length;
  const termIndexOf = new Int32Array(input.maxTerm + 1);
  for (let i = 0; i < T; i++) termIndexOf[termIds[i]] = i;
  const valueOf = (p: number) => (u8Values ? u8Values[impacts[p]] : impacts[p]);
  const termMax = new Float32Array(T);
  for (let p = 0; p < P; p++) {
    const i = termIndexOf[terms[p]];
    const v = valueOf(p);
    if (v > termMax[i]) termMax[i] = v;
  }
  const forwardScale = new Float32Array(T);
  for (let i = 0; i < T; i++) forwardScale[i] = termMax[i] > 0 ? termMax[i] / 255 : 1;
  const forwardStart = new Uint32Array(N + 1);
  const forwardTerms = T <= U16_TERMS ? new Uint16Array(P) : new Uint32Array(P);
  const forwardCodes = new Uint8Array(P);
  // Per document: keys (bits of −value, position) sort heaviest first, ties by position = by term.
  // Positive float32 bits order like the values; positions < 2^22 keep keys exact in float64.
  let keys = new Float64Array(256);
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  let at = 0;
  for (let d = 0; d < N; d++) {
    const first = docStart[order[d]];
    const n = docStart[order[d] + 1] - first;
    if (n > keys.length) keys = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      asFloat[0] = valueOf(first + k);
      keys[k] = (0x7fffffff - bits[0]) * 2 ** 22 + k;
    }
    const sorted = n < 2 ** 22 ? keys.subarray(0, n).sort() : keys.subarray(0, n).sort((a, b) => a - b);
    for (let j = 0; j < n; j++) {
      const p = first + (sorted[j] % 2 ** 22);
      const i = termIndexOf[terms[p]];
      const c = Math.round(valueOf(p) / forwardScale[i]);
      forwardTerms[at] = i;
      forwardCodes[at++] = c < 1 ? 1 : c > 255 ? 255 : c;
    }
    forwardStart[d + 1] = at;
  }
  return { forwardStart, forwardTerms, forwardCodes, forwardScale };
}
