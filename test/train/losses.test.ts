/**
 * The SpladeLoss family on hand-made embeddings, against direct JavaScript evaluations of the upstream
 * formulas (sentence-transformers SparseMultipleNegativesRankingLoss, SparseMarginMSELoss, FlopsLoss), and
 * their gradients by finite differences.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, type V } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { spladeLoss, type SpladeLossConfig } from "../../src/train/losses/splade-loss.js";
import { gradcheck } from "../gradcheck/harness.js";

const B = 2;
const V_ = 3;
const q = [1, 0, 2, 0.5, 1, 0];
const p = [2, 1, 0, 0, 1, 1];
const n = [0, 0, 1, 1, 0, 3];

function row(m: number[], i: number): number[] {
  return m.slice(i * V_, (i + 1) * V_);
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
function flops(rows: number[][]): number {
  let s = 0;
  for (let j = 0; j < V_; j++) {
    const mean = rows.reduce((a, r) => a + r[j], 0) / rows.length;
    s += mean * mean;
  }
  return s;
}

async function run(config: SpladeLossConfig, labels?: number[]): Promise<Record<string, number>> {
  const g = new GraphBuilder("t");
  const cols = ["q", "p", "n"].map((name) => g.input(name, "float32", [B, V_]));
  const lab = labels ? g.input("labels", "float32", [B, 1]) : undefined;
  const out = spladeLoss(g, config, { columns: cols, lambdaDocument: g.constScalar(0.5), lambdaQuery: g.constScalar(0.25), labels: lab });
  g.output(out.loss, "loss", "float32", []);
  for (const [k, v] of Object.entries(out.parts)) g.output(v, k, "float32", []);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const t = (x: number[]) => new ort.Tensor("float32", Float32Array.from(x), [B, V_]);
  const feeds: Record<string, ort.Tensor> = { q: t(q), p: t(p), n: t(n) };
  if (labels) feeds.labels = new ort.Tensor("float32", Float32Array.from(labels), [B, 1]);
  const r = await s.run(feeds);
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.data[0])]));
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("SpladeLoss(MNRL): cross-entropy over in-batch and hard negatives plus weighted FLOPS parts", async () => {
  const r = await run({ base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 0.5, queryRegularizerWeight: 0.25, useDocumentRegularizerOnly: false });
  const docs = [row(p, 0), row(p, 1), row(n, 0), row(n, 1)];
  let ce = 0;
  for (let i = 0; i < B; i++) {
    const scores = docs.map((d) => dot(row(q, i), d));
    const lse = Math.log(scores.reduce((a, s) => a + Math.exp(s), 0));
    ce += lse - scores[i];
  }
  close(r.base_loss, ce / B, "base_loss");
  close(r.document_regularizer_loss, 0.5 * flops(docs), "document_regularizer_loss");
  close(r.query_regularizer_loss, 0.25 * flops([row(q, 0), row(q, 1)]), "query_regularizer_loss");
  close(r.loss, r.base_loss + r.document_regularizer_loss + r.query_regularizer_loss, "loss");
});

test("SpladeLoss(MarginMSE) and use_document_regularizer_only", async () => {
  const labels = [0.5, -1];
  const r = await run({ base: { kind: "margin-mse" }, documentRegularizerWeight: 0.5, queryRegularizerWeight: 0.25, useDocumentRegularizerOnly: true }, labels);
  let mse = 0;
  for (let i = 0; i < B; i++) mse += (dot(row(q, i), row(p, i)) - dot(row(q, i), row(n, i)) - labels[i]) ** 2;
  close(r.base_loss, mse / B, "base_loss");
  close(r.document_regularizer_loss, 0.5 * flops([row(q, 0), row(q, 1), row(p, 0), row(p, 1), row(n, 0), row(n, 1)]), "all columns as documents");
  assert.equal(r.query_regularizer_loss, 0);
});

test("FLOPS threshold zeroes rows with at most `threshold` active dimensions (mean still over all rows)", async () => {
  const r = await run({ base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 0.5, queryRegularizerWeight: 0.25, documentRegularizerThreshold: 1, useDocumentRegularizerOnly: false });
  // Active dims: p rows 2 and 2 (kept), n rows 1 (zeroed) and 2 (kept).
  close(r.document_regularizer_loss, 0.5 * flops([row(p, 0), row(p, 1), [0, 0, 0], row(n, 1)]), "document_regularizer_loss");
});

test("gradients of SpladeLoss(MNRL, scale 20) by finite differences", async () => {
  await gradcheck({
    inputs: [{ name: "q", shape: [B, V_], positive: true }, { name: "p", shape: [B, V_], positive: true }, { name: "n", shape: [B, V_], positive: true }],
    build: (g, x) => {
      const config: SpladeLossConfig = { base: { kind: "mnrl", scale: 20 }, documentRegularizerWeight: 0.5, queryRegularizerWeight: 0.25, useDocumentRegularizerOnly: false };
      return spladeLoss(g, config, { columns: [x.q, x.p, x.n], lambdaDocument: g.constScalar(0.5), lambdaQuery: g.constScalar(0.25) }).loss as V;
    },
  });
});
