/**
 * 8-bit quantization of impacts and of block maxima.
 * - Impacts (optional, `--quantize u8`): one linear scale per segment, code = round(v / scale) with
 *   scale = max / 255, clamped to ≥ 1 so that no posting disappears; value = fround(code · scale).
 *   Search over a u8 segment is exact with respect to these dequantized values; the cost against float32 is
 *   measured in bench/search.ts (overlap of top-10 lists).
 * - Block maxima (always): one scale per term, code rounded *up* so that fround(code · scale) ≥ the true
 *   maximum. That inequality is what makes block-max pruning exact (block-max-pruning.ts).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 above a positive float32 x. */
function nextFloat32Up(x: number): number {
  f32[0] = x;
  u32[0] += 1;
  return f32[0];
}

export function quantizeImpacts(values: Float32Array): { codes: Uint8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const scale = max > 0 ? Math.fround(max / 255) : 1;
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = Math.round(values[i] / scale);
    codes[i] = c < 1 ? 1 : c > 255 ? 255 : c;
  }
  return { codes, scale };
}

/** Per-term scale and per-pair codes with fround(code · scale) ≥ max (termPairStart [T+1], maxima [Pb]). */
export function quantizeBlockMax(termPairStart: Uint32Array, maxima: Float32Array): { codes: Uint8Array; termScales: Float32Array } {
  const T = termPairStart.length - 1;
  const codes = new Uint8Array(maxima.length);
  const termScales = new Float32Array(T);
  for (let i = 0; i < T; i++) {
    const lo = termPairStart[i];
    const hi = termPairStart[i + 1];
    let termMax = 0;
    for (let j = lo; j < hi; j++) if (maxima[j] > termMax) termMax = maxima[j];
    let scale = Math.fround(termMax / 255);
    if (scale === 0) scale = nextFloat32Up(0);
    while (Math.fround(255 * scale) < termMax) scale = nextFloat32Up(scale);
    termScales[i] = scale;
    for (let j = lo; j < hi; j++) {
      let c = Math.ceil(maxima[j] / scale);
      if (c < 1) c = 1;
      if (c > 255) c = 255;
      while (c < 255 && Math.fround(c * scale) < maxima[j]) c++;
      codes[j] = c;
    }
  }
  return { codes, termScales };
}
