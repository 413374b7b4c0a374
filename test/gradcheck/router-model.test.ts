/**
 * Whole-model gradient check of the inference-free Router training graph: the query column through a
 * SparseStaticEmbedding (repeated ids, padding, a literal pad id), the positive and negative through a tiny
 * DistilBERT MLM + SPLADE pooling with training-mode dropout, and SpladeLoss (MNRL) with
 * use_document_regularizer_only (one FLOPS term over every column, the static query embeddings included) or
 * with a query term. Every element of the static weight and sampled elements of every MLM parameter are checked
 * in float64 against central differences.
 */
import { test } from "node:test";
import { GraphBuilder, type V } from "../../src/graph/builder.js";
import { normalizeConfig } from "../../src/model/config.js";
import type { ModelContext } from "../../src/model/context.js";
import { buildMaskedLm } from "../../src/model/mlm.js";
import { spladePooling } from "../../src/model/splade-pooling.js";
import { hashDropout } from "../../src/train/dropout.js";
import { spladeLoss } from "../../src/train/losses/splade-loss.js";
import { sparseStaticEmbedding } from "../../src/train/static-embedding-graph.js";
import { Rng } from "../../src/util/rng.js";
import { gradcheck, type CaseInput } from "./harness.js";
import { mlmParameterInputs, tokenColumnInputs } from "./mlm-parameters.js";

const STATIC = "query_0_SparseStaticEmbedding.weight";

async function checkRouter(useDocumentRegularizerOnly: boolean): Promise<void> {
  const cfg = normalizeConfig({ model_type: "distilbert", vocab_size: 30, dim: 8, hidden_dim: 12, n_layers: 1, n_heads: 2, max_position_embeddings: 8, dropout: 0.2, attention_dropout: 0.2 });
  const rng = new Rng(11);
  const B = 2;
  const inputs: CaseInput[] = mlmParameterInputs(cfg, rng);
  inputs.push({ name: STATIC, shape: [cfg.vocabSize], data: Array.from({ length: cfg.vocabSize }, () => 0.5 + rng.next()) });
  // Query column (no special tokens): row 0 repeats id 7 and is padded; row 1 holds a literal pad id (0).
  inputs.push({ name: "ids0", shape: [B, 4], dtype: "int64", data: [7, 12, 7, 0, 0, 3, 21, 7] });
  inputs.push({ name: "mask0", shape: [B, 4], dtype: "int64", data: [1, 1, 1, 0, 1, 1, 1, 1] });
  [5, 3].forEach((T, k) => inputs.push(...tokenColumnInputs(cfg, rng, k + 1, B, T)));
  inputs.push({ name: "seed", shape: [], dtype: "int64", data: [5] });
  await gradcheck({
    inputs,
    rtol: 1e-5,
    atol: 1e-7,
    build: (g: GraphBuilder, x: Record<string, V>) => {
      const columns = [sparseStaticEmbedding(g, x[STATIC], x.ids0, x.mask0, { vocabSize: cfg.vocabSize, padId: 0 })];
      for (const c of [1, 2]) {
        const ctx: ModelContext = { g, param: (key) => x[key], kernels: "plain", dropout: hashDropout(g, x.seed, c) };
        const out = buildMaskedLm(ctx, cfg, x[`ids${c}`], x[`mask${c}`]);
        columns.push(spladePooling(ctx, cfg, out, x[`mask${c}`], { pooling: "max", activation: "log1p_relu" }));
      }
      const config = { base: { kind: "mnrl" as const, scale: 1 }, documentRegularizerWeight: 0.1, queryRegularizerWeight: 0.05, useDocumentRegularizerOnly };
      return spladeLoss(g, config, { columns, lambdaDocument: g.constScalar(0.1), lambdaQuery: g.constScalar(0.05) }).loss;
    },
  });
}

test("whole-model gradient: inference-free Router (static query, DistilBERT documents), use_document_regularizer_only", async () => {
  await checkRouter(true);
});

test("whole-model gradient: inference-free Router with a query FLOPS term on the static embeddings", async () => {
  await checkRouter(false);
});
