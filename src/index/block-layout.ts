/**
 * From document-major postings to the term-major block layout of segment.ts: a counting sort by term
 * (internal documents ascending within each term), then grouping each term's postings into (term, block)
 * pairs (with their maxima) and the pairs into (term, superblock) superpairs, plus dense block-max rows for
 * frequent terms. O(P + T + R·NB) time.
 *
 * Shapes: N docs, P postings, T terms, Pb pairs, Ps superpairs, B block size, S blocks per superblock.
 */
import { quantizeBlockMax } from "./quantization.js";

export interface ForwardInput {
  readonly docStart: Float64Array; // [N+1] by insertion position
  readonly terms: Uint32Array; // [P]
  readonly impacts: Float32Array | Uint8Array; // [P] float32 weights or u8 codes
  readonly u8Values: Float32Array | null; // code → value when impacts are codes
  readonly termFrequencies: Uint32Array | null; // [P] BM25 only
  readonly order: Uint32Array; // [N] internal doc → insertion position
  readonly maxTerm: number;
}

export function buildBlockLayout(input: ForwardInput, blockSize: number, superblockSize: number) {
  const { docStart, terms, impacts, u8Values, termFrequencies, order } = input;
  const N = order.length;
  const P = terms.length;
  const shift = Math.log2(blockSize);
  const superShift = Math.log2(superblockSize);

  // 1. Terms, and a counting sort of the postings into term-major order.
  const V = input.maxTerm + 1;
  const termCount = new Uint32Array(V);
  for (let p = 0; p < P; p++) termCount[terms[p]]++;
  let T = 0;
  for (let t = 0; t < V; t++) if (termCount[t] > 0) T++;
  const termIds = new Uint32Array(T);
  const termIndexOf = new Int32Array(V);
  const cursor = new Uint32Array(T);
  for (let t = 0, i = 0, at = 0; t < V; t++) {
    if (termCount[t] === 0) continue;
    termIds[i] = t;
    termIndexOf[t] = i;
    cursor[i++] = at;
    at += termCount[t];
  }
  const termPostingEnd = new Uint32Array(T);
  const postingDoc = new Uint32Array(P); // [P] internal doc (temporary)
  const postingDocOffset = new Uint8Array(P);
  const postingImpacts = u8Values ? new Uint8Array(P) : new Float32Array(P);
  const tmTermFrequencies = termFrequencies ? new Uint32Array(P) : null;
  const mask = blockSize - 1;
  for (let d = 0; d < N; d++) {
    const src = order[d];
    for (let p = docStart[src]; p < docStart[src + 1]; p++) {
      const pos = cursor[termIndexOf[terms[p]]]++;
      postingDoc[pos] = d;
      postingDocOffset[pos] = d & mask;
      postingImpacts[pos] = impacts[p];
      if (tmTermFrequencies) tmTermFrequencies[pos] = termFrequencies![p];
    }
  }
  termPostingEnd.set(cursor);

  // 2. (term, block) pairs with their maximum impact value, and (term, superblock) superpairs.
  let Pb = 0;
  let Ps = 0;
  for (let i = 0, p = 0; i < T; i++) {
    let prevBlock = -1;
    let prevSuper = -1;
    for (; p < termPostingEnd[i]; p++) {
      const b = postingDoc[p] >>> shift;
      if (b === prevBlock) continue;
      Pb++;
      prevBlock = b;
      if (b >>> superShift !== prevSuper) (Ps++, (prevSuper = b >>> superShift));
    }
  }
  const termPairStart = new Uint32Array(T + 1);
  const termSuperStart = new Uint32Array(T + 1);
  const pairPostingStart = new Uint32Array(Pb + 1);
  const pairBlockOffset = new Uint8Array(Pb);
  const pairMaxValue = new Float32Array(Pb);
  const superBlock = new Uint32Array(Ps);
  const superPairStart = new Uint32Array(Ps + 1);
  const superMask = superblockSize - 1;
  for (let i = 0, p = 0, j = -1, sp = -1; i < T; i++) {
    termPairStart[i] = j + 1;
    termSuperStart[i] = sp + 1;
    let prevBlock = -1;
    let prevSuper = -1;
    for (; p < termPostingEnd[i]; p++) {
      const b = postingDoc[p] >>> shift;
      if (b !== prevBlock) {
        j++;
        prevBlock = b;
        pairPostingStart[j] = p;
        pairBlockOffset[j] = b & superMask;
        const s = b >>> superShift;
        if (s !== prevSuper) {
          sp++;
          prevSuper = s;
          superBlock[sp] = s;
          superPairStart[sp] = j;
        }
      }
      const value = u8Values ? u8Values[postingImpacts[p]] : postingImpacts[p];
      if (value > pairMaxValue[j]) pairMaxValue[j] = value;
    }
  }
  termPairStart[T] = Pb;
  termSuperStart[T] = Ps;
  pairPostingStart[Pb] = P;
  superPairStart[Ps] = Pb;
  const { codes: pairBlockMax, termScales: termBlockMaxScale } = quantizeBlockMax(termPairStart, pairMaxValue);

  // 3. Dense block-max rows for terms present in at least a quarter of the blocks.
  const NB = Math.ceil(N / blockSize);
  const termDenseRow = new Int32Array(T).fill(-1);
  let rows = 0;
  for (let i = 0; i < T; i++) if (4 * (termPairStart[i + 1] - termPairStart[i]) >= NB) termDenseRow[i] = rows++;
  const denseBlockMax = new Uint8Array(rows * NB);
  for (let i = 0; i < T; i++) {
    const row = termDenseRow[i];
    if (row < 0) continue;
    for (let sp = termSuperStart[i]; sp < termSuperStart[i + 1]; sp++) {
      const firstBlock = superBlock[sp] << superShift;
      for (let j = superPairStart[sp]; j < superPairStart[sp + 1]; j++) denseBlockMax[row * NB + firstBlock + pairBlockOffset[j]] = pairBlockMax[j];
    }
  }

  return {
    termIds, termBlockMaxScale, termSuperStart, superBlock, superPairStart, pairBlockOffset, pairBlockMax, pairPostingStart,
    postingDocOffset, postingImpacts, termDenseRow, denseBlockMax, termFrequencies: tmTermFrequencies,
  };
}
