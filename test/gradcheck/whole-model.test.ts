/**
 * Whole-model gradient checks: a tiny DistilBERT and a tiny BERT masked-LM (the project's model graphs,
 * src/model/), SPLADE max pooling and SpladeLoss (MNRL + FLOPS on documents and queries), with padding and,
 * for DistilBERT, training-mode hash dropout at a fixed seed. Every parameter is checked in float64 against
 * central differences at a few sampled elements.
 */
import { test } from "node:test";
import { GraphBuilder, type V } from "../../src/graph/builder.js";
import { normalizeConfig, type TransformerConfig } from "../../src/model/config.js";
import type { ModelContext } from "../../src/model/context.js";
import { buildMaskedLm } from "../../src/model/mlm.js";
import { spladePooling } from "../../src/model/splade-pooling.js";
import { hashDropout } from "../../src/train/dropout.js";
import { spladeLoss } from "../../src/train/losses/splade-loss.js";
import { Rng } from "../../src/util/rng.js";
import { gradcheck, type CaseInput } from "./harness.js";
import { mlmParameterInputs, tokenColumnInputs } from "./mlm-parameters.js";

async function checkModel(cfg: TransformerConfig, dropout: boolean): Promise<void> {
  const rng = new Rng(7);
  const B = 2;
  const lengths = [4, 5, 3]; // query, positive, negative tokens
  const inputs: CaseInput[] = mlmParameterInputs(cfg, rng);
  lengths.forEach((T, c) => inputs.push(...tokenColumnInputs(cfg, rng, c, B, T))); // row 1 padded by one token
  inputs.push({ name: "seed", shape: [], dtype: "int64", data: [99] });
  await gradcheck({
    inputs,
    rtol: 1e-5,
    atol: 1e-7,
    build: (g: GraphBuilder, x: Record<string, V>) => {
      const columns = lengths.map((_, c) => {
        const ctx: ModelContext = { g, param: (key) => x[key], kernels: "plain" };
        if (dropout) ctx.dropout = hashDropout(g, x.seed, c);
        const out = buildMaskedLm(ctx, cfg, x[`ids${c}`], x[`mask${c}`]);
        return spladePooling(ctx, cfg, out, x[`mask${c}`], { pooling: "max", activation: "relu" });
      });
      const loss = spladeLoss(
        g,
        { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: 0.1, queryRegularizerWeight: 0.05, useDocumentRegularizerOnly: false },
        { columns, lambdaDocument: g.constScalar(0.1), lambdaQuery: g.constScalar(0.05) },
      );
      return loss.loss;
    },
  });
}

test("whole-model gradient: tiny DistilBERT SPLADE with MNRL + FLOPS, padding and dropout", async () => {
  const cfg = normalizeConfig({ model_type: "distilbert", vocab_size: 40, dim: 8, hidden_dim: 12, n_layers: 1, n_heads: 2, max_position_embeddings: 8, dropout: 0.2, attention_dropout: 0.2 });
  await checkModel(cfg, true);
});

test("whole-model gradient: tiny BERT SPLADE with MNRL + FLOPS and padding", async () => {
  const cfg = normalizeConfig({ model_type: "bert", vocab_size: 40, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 2, num_attention_heads: 2, max_position_embeddings: 8, type_vocab_size: 2 });
  await checkModel(cfg, false);
});
