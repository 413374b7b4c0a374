/**
 * Initializers as in-memory external data (onnx-proto.ts serializeModelExternal, session.ts externalData):
 * the same outputs as the weights inside the protobuf, and onnxruntime copies the weights while it creates
 * the session, so their buffers may be reused or handed over afterwards (graph-cache-writer.ts moves them
 * into a worker).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel, serializeModelExternal } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { Rng } from "../../src/util/rng.js";

function graph(): GraphBuilder {
  const rng = new Rng(3);
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", ["batch", 64]);
  const w = g.initializer("w", { dtype: "float32", dims: [64, 32], data: Float32Array.from({ length: 64 * 32 }, () => rng.normal()) });
  const q = g.initializer("q", { dtype: "int8", dims: [32, 4096], data: Int8Array.from({ length: 32 * 4096 }, () => rng.int(255) - 127) });
  const hidden = g.relu(g.add(g.matmul(x, w), g.constFloat([0.5]))); // [batch, 32]
  g.output(g.matmul(hidden, g.cast(q, "float32")), "y", "float32", ["batch", 4096]);
  return g;
}

const input = () => new ort.Tensor("float32", Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i)), [2, 64]);

test("external initializers: the protobuf leaves them out, the outputs equal the inline model's", async () => {
  const inline = await GraphSession.create(serializeModel(graph().ir), { threads: 1 });
  const expected = (await inline.run({ x: input() })).y.data as Float32Array;
  await inline.release();

  const { model, externalData } = serializeModelExternal(graph().ir, { externalFromBytes: 4096 });
  assert.deepEqual(externalData.map((f) => f.data.byteLength).sort((a, b) => a - b), [64 * 32 * 4, 32 * 4096], "w and q are external, the constant is not");
  assert.ok(model.byteLength < 1024, `${model.byteLength} bytes of protobuf`);
  const session = await GraphSession.create(model, { threads: 1, externalData });
  // onnxruntime has copied the weights: overwriting the buffers changes nothing.
  for (const f of externalData) f.data.fill(0x7f);
  assert.deepEqual((await session.run({ x: input() })).y.data, expected);
  await session.release();
});
