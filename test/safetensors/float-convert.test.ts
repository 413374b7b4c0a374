/**
 * f16/bf16 → f32 widening against hand-computed values (±0, subnormals, extremes, ±inf, NaN payloads) and,
 * for f16, every one of the 65,536 bit patterns against a slow decoder written from the IEEE 754 formula.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bf16ToF32, f16ToF32 } from "../../src/safetensors/float-convert.js";

function f32Bits(x: Float32Array): number[] {
  return [...new Uint32Array(x.buffer, x.byteOffset, x.length)];
}

/** Converts each case's bit pattern and checks the value exactly (Object.is: -0 differs from 0). */
function assertWidens(convert: (src: Uint16Array) => Float32Array, cases: Array<[number, number]>): void {
  const out = convert(Uint16Array.from(cases.map(([bits]) => bits)));
  cases.forEach(([bits, expected], i) => {
    assert.ok(Object.is(out[i], expected), `0x${bits.toString(16)} → ${out[i]}, expected ${expected}`);
  });
}

test("f16 → f32: hand-computed values", () => {
  const cases: Array<[number, number]> = [
    [0x0000, 0],
    [0x8000, -0],
    [0x0001, 2 ** -24], // smallest subnormal
    [0x8001, -(2 ** -24)],
    [0x03ff, 1023 * 2 ** -24], // largest subnormal
    [0x0400, 2 ** -14], // smallest normal
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504], // largest finite
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ];
  assertWidens(f16ToF32, cases);
});

test("f16 → f32: NaNs keep sign and payload", () => {
  const out = f16ToF32(Uint16Array.of(0x7e00, 0x7c01, 0xfe00));
  assert.ok(out.every(Number.isNaN));
  assert.deepEqual(f32Bits(out), [0x7fc00000, 0x7f802000, 0xffc00000]);
});

function slowF16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

test("f16 → f32: all 65,536 bit patterns match the IEEE formula", () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const out = f16ToF32(all);
  for (let h = 0; h < 65536; h++) {
    const expected = slowF16(h);
    const ok = Number.isNaN(expected) ? Number.isNaN(out[h]) : Object.is(out[h], expected);
    if (!ok) assert.fail(`0x${h.toString(16)} → ${out[h]}, expected ${expected}`);
  }
});

test("bf16 → f32: hand-computed values", () => {
  const cases: Array<[number, number]> = [
    [0x0000, 0],
    [0x8000, -0],
    [0x0001, 2 ** -133], // smallest subnormal
    [0x3f80, 1],
    [0xc000, -2],
    [0x3eab, 0.333984375],
    [0x7f7f, 3.3895313892515355e38], // largest finite
    [0x7f80, Infinity],
    [0xff80, -Infinity],
  ];
  assertWidens(bf16ToF32, cases);
  const nans = bf16ToF32(Uint16Array.of(0x7fc0, 0xffc1));
  assert.deepEqual(f32Bits(nans), [0x7fc00000, 0xffc10000]);
});

test("converters write into a caller's array and reject a wrong length", () => {
  const out = new Float32Array(2);
  assert.equal(f16ToF32(Uint16Array.of(0x3c00, 0x4000), out), out);
  assert.deepEqual([...out], [1, 2]);
  assert.throws(() => bf16ToF32(Uint16Array.of(1), out), { code: "INVALID_ARGUMENT" });
});
