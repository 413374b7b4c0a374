/**
 * GraphSession's memPattern: false (session.ts; the training step's sessions run that way, step-runner.ts)
 * only changes where onnxruntime puts intermediates: repeated runs, of the same and of other shapes, give the
 * same outputs as a session with the memory pattern.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { Rng } from "../../src/util/rng.js";

function model(): Uint8Array {
  const rng = new Rng(5);
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", ["batch", 48]);
  const w = g.initializer("w", { dtype: "float32", dims: [48, 96], data: Float32Array.from({ length: 48 * 96 }, () => rng.normal()) });
  const h = g.relu(g.matmul(x, w)); // [batch, 96]
  g.output(g.reduceMax(g.mul(h, h), [0]), "y", "float32", [96]);
  return serializeModel(g.ir);
}

const input = (rows: number, phase: number) =>
  new ort.Tensor("float32", Float32Array.from({ length: rows * 48 }, (_, i) => Math.sin(i * 0.37 + phase)), [rows, 48]);

test("memPattern false: the same outputs as onnxruntime's memory pattern, run after run and across shapes", async () => {
  const withPattern = await GraphSession.create(model(), { threads: 1 });
  const without = await GraphSession.create(model(), { threads: 1, memPattern: false });
  for (const [rows, phase] of [[3, 0], [3, 1], [7, 2], [3, 3], [1, 4]]) {
    const expected = (await withPattern.run({ x: input(rows, phase) })).y.data as Float32Array;
    const actual = (await without.run({ x: input(rows, phase) })).y.data as Float32Array;
    assert.deepEqual(actual, expected, `${rows} rows, phase ${phase}`);
    assert.ok(expected.some((v) => v > 0), "a non-trivial output");
  }
  await withPattern.release();
  await without.release();
});
