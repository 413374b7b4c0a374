/**
 * Widening of 16-bit floats to float32, exactly (every f16 and bf16 value is representable in f32).
 *
 * - bf16 is the upper half of an f32: widening is a 16-bit shift, NaN payloads and signs included.
 * - IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits, bias 15) goes through a 65,536-entry table of
 *   f32 bit patterns built once on first use (256 KiB), so the hot loop is one load per element. Table
 *   entries: exponent 31 → inf/NaN with the payload shifted into place; exponent 0 → ±0 or a subnormal
 *   mantissa × 2^-24 (exact in f32); otherwise rebias the exponent (15 → 127) and shift the mantissa.
 *
 * Both functions read little-endian element values through a Uint16Array (the host is little-endian:
 * checked by the reader) and write into a fresh or caller-provided Float32Array of the same length.
 */
import { check } from "../util/errors.js";

let f16Table: Uint32Array | undefined;

function buildF16Table(): Uint32Array {
  const table = new Uint32Array(65536);
  const scratch = new Float32Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    let bits: number;
    if (exponent === 0x1f) {
      bits = sign | 0x7f800000 | (mantissa << 13);
    } else if (exponent === 0) {
      scratch[0] = mantissa * 2 ** -24;
      bits = sign | scratchBits[0];
    } else {
      bits = sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13);
    }
    table[h] = bits >>> 0;
  }
  return table;
}

function outputFor(length: number, out: Float32Array | undefined): Float32Array {
  if (out === undefined) return new Float32Array(length);
  check(out.length === length, `output has ${out.length} elements but the input has ${length}`);
  return out;
}

/** IEEE binary16 → float32. */
export function f16ToF32(src: Uint16Array, out?: Float32Array): Float32Array {
  const result = outputFor(src.length, out);
  const table = (f16Table ??= buildF16Table());
  const bits = new Uint32Array(result.buffer, result.byteOffset, result.length);
  for (let i = 0; i < src.length; i++) bits[i] = table[src[i]];
  return result;
}

/** bfloat16 → float32. */
export function bf16ToF32(src: Uint16Array, out?: Float32Array): Float32Array {
  const result = outputFor(src.length, out);
  const bits = new Uint32Array(result.buffer, result.byteOffset, result.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i] << 16;
  return result;
}
