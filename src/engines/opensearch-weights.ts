/**
 * How OpenSearch's rank_features stores a weight: Lucene's FeatureField keeps `Float.floatToIntBits(w) >>> 15`
 * (sign, 8 exponent and 8 mantissa bits), so a stored weight is the float32 truncated to 8 mantissa bits (a
 * relative loss below 2^-8). Query weights (boosts) stay float32. Scoring the truncated weights reproduces
 * the engine's scores; tests and benchmarks compare against it.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The weight OpenSearch scores with after indexing `weight`. */
export function opensearchStoredWeight(weight: number): number {
  f32[0] = weight;
  u32[0] = (u32[0] >>> 15) << 15;
  return f32[0];
}

/** The smallest positive normal float32: rank_features refuses anything below (and zero or negatives). */
export const MIN_NORMAL_FLOAT32 = 2 ** -126;

export function isIndexableFeatureWeight(weight: number): boolean {
  return Number.isFinite(weight) && Math.fround(weight) >= MIN_NORMAL_FLOAT32 && Math.fround(weight) <= 3.4028234663852886e38;
}
