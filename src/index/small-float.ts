/**
 * Lucene's one-byte document-length encoding (org.apache.lucene.util.SmallFloat, intToByte4/byte4ToInt):
 * lengths below 24 are exact, larger ones keep 4 significant bits (rounded down). BM25 in Lucene (and so in
 * Anserini's published baselines) normalizes by the *decoded* length, which can move nDCG at the third
 * decimal, so bm25.ts uses it too.
 */

/** Float-like encoding of a non-negative integer with 4 significant bits (SmallFloat.longToInt4). */
function longToInt4(i: number): number {
  const numBits = i === 0 ? 0 : Math.floor(Math.log2(i)) + 1;
  if (numBits < 4) return i; // subnormal
  const shift = numBits - 4;
  let encoded = Math.floor(i / 2 ** shift);
  encoded &= 0x07; // the leading bit is implicit
  encoded |= (shift + 1) << 3; // 0 is reserved for subnormals
  return encoded;
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

const MAX_INT4 = longToInt4(2147483647); // 231
const NUM_FREE_VALUES = 255 - MAX_INT4; // 24

/** SmallFloat.intToByte4: the norm byte (0..255) of a length 0 ≤ i < 2^31. */
export function intToByte4(i: number): number {
  if (!Number.isInteger(i) || i < 0 || i > 2147483647) throw new RangeError(`intToByte4: ${i} is not a length in [0, 2^31)`);
  return i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + longToInt4(i - NUM_FREE_VALUES);
}

/** SmallFloat.byte4ToInt: the length a norm byte stands for. */
export function byte4ToInt(b: number): number {
  const i = b & 0xff;
  return i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + int4ToLong(i - NUM_FREE_VALUES);
}
