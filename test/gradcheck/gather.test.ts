/**
 * Checks of src/graph/autodiff/rules/gather.ts: embedding lookup with repeated ids (scatter-add) by finite
 * differences, and exact accumulation of heavily repeated ids on several threads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { differentiate } from "../../src/graph/autodiff/index.js";
import { gradcheck } from "./harness.js";

test("Gather axis 0 with repeated and negative ids accumulates rows", async () => {
  await gradcheck({
    inputs: [
      { name: "emb", shape: [5, 3] },
      { name: "ids", shape: [2, 3], dtype: "int64", data: [1, 3, 1, 0, -1, 1] },
    ],
    build: (g, x) => g.gather(x.emb, x.ids),
  });
});

test("repeated ids accumulate exactly on several threads (no lost updates)", async () => {
  // onnxruntime's ScatterND with reduction "add" races on repeated rows (see GradContext.scatterAddRows).
  const g = new GraphBuilder("t");
  const emb = g.input("emb", "float32", [8, 64]);
  const ids = g.input("ids", "int64", [64, 256]);
  g.output(g.reduceSum(g.gather(emb, ids), [0, 1, 2], false), "y", "float32", []);
  const { gradients } = differentiate(g.ir, { loss: "y", wrt: ["emb"] });
  g.output({ name: gradients.get("emb")! }, "d", "float32", [8, 64]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 2 });
  const idv = BigInt64Array.from({ length: 64 * 256 }, (_, i) => BigInt(i % 3));
  const counts = [5462, 5461, 5461, 0, 0, 0, 0, 0];
  try {
    for (let run = 0; run < 30; run++) {
      const out = await s.run({ emb: new ort.Tensor("float32", new Float32Array(512), [8, 64]), ids: new ort.Tensor("int64", idv, [64, 256]) });
      const d = out.d.data as Float32Array;
      for (let row = 0; row < 8; row++) assert.ok(d.subarray(row * 64, row * 64 + 64).every((x) => x === counts[row]), `run ${run}, row ${row}`);
    }
  } finally {
    await s.release();
  }
});
