/** src/graph/fold-output-identities.ts: output Identity nodes folded into their producers, same results. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/builder.js";
import { foldOutputIdentities } from "../../src/graph/fold-output-identities.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";

test("a computed value used inside the graph and as an output loses its Identity; inputs and repeats keep theirs", async () => {
  const g = new GraphBuilder("t");
  const x = g.input("x", "float32", [3]);
  const m = g.mul(x, g.constScalar(2)); // output "m" and used again below
  g.output(m, "m", "float32", [3]);
  g.output(g.add(m, x), "y", "float32", [3]);
  g.output(m, "m_again", "float32", [3]); // a second name for the same value: a copy
  g.output(x, "x_copy", "float32", [3]); // an input passed through: a copy
  assert.equal(foldOutputIdentities(g.ir), 2);
  assert.equal(g.ir.nodes.filter((n) => n.op === "Identity").length, 2);
  assert.ok(g.ir.nodes.some((n) => n.op === "Mul" && n.outputs[0] === "m"));
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await s.run({ x: new ort.Tensor("float32", Float32Array.from([1, 2, 3]), [3]) });
  assert.deepEqual(Array.from(out.m.data as Float32Array), [2, 4, 6]);
  assert.deepEqual(Array.from(out.y.data as Float32Array), [3, 6, 9]);
  assert.deepEqual(Array.from(out.m_again.data as Float32Array), [2, 4, 6]);
  assert.deepEqual(Array.from(out.x_copy.data as Float32Array), [1, 2, 3]);
  await s.release();
});
