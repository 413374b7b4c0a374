/** Test helper: whole-array and scalar comparisons that report max |Δ| and the first bad index. */
import assert from "node:assert/strict";

export function assertRelClose(actual: number, expected: number, rtol: number, what: string, atol = 0): void {
  const err = Math.abs(actual - expected);
  assert.ok(err <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs expected ${expected} (|Δ| ${err}, rtol ${rtol}, atol ${atol})`);
}

/** Elementwise |a − e| ≤ atol + rtol·|e|. */
export function assertArrayClose(actual: ArrayLike<number>, expected: ArrayLike<number>, o: { rtol: number; atol: number }, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  let maxAbs = 0;
  let firstBad = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    maxAbs = Math.max(maxAbs, err);
    if (firstBad < 0 && !(err <= o.atol + o.rtol * Math.abs(expected[i]))) firstBad = i;
  }
  assert.equal(firstBad, -1, `${what}: first bad index ${firstBad} (${actual[firstBad]} vs ${expected[firstBad]}), max |Δ| ${maxAbs}`);
}

export function l2(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

export function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
