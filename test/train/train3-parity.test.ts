/**
 * Training parity with the float64 reference (test/fixtures/tiny-distilbert-splade.train3.json) through the
 * library: three optimizer steps of SpladeLoss(MNRL) + FLOPS with dropout off, compared after each step —
 * schedules, loss parts, the gradient norm, per-parameter clipped gradient norms and two full gradients
 * (step 1), and every parameter's L2 norm and sum. Tolerances from test/fixtures/MANIFEST.md.
 *
 * One addition to the manifest's relative tolerances: the reference's key-bias gradients are exactly zero up
 * to float64 noise (≈ 3e-17; see src/train/key-bias.ts); a norm is accepted within 1e-7 of the (unit) global
 * clipped norm — the resolution of float32 — in addition to relative 1e-3.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readTransformerConfig } from "../../src/model/config.js";
import { CheckpointWeights } from "../../src/model/weights.js";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { tokenizeRows } from "../../src/train/data/tokenize.js";
import { adamwScalars } from "../../src/train/optimizer/adamw.js";
import { linearScheduleLr, regularizerWeight } from "../../src/train/schedules.js";
import { StepRunner } from "../../src/train/step-runner.js";
import { assertArrayClose, assertRelClose, l2, sum } from "./compare.js";
import { MODEL_DIR, readTrain3, train3Rows } from "./fixture.js";

test("three training steps match the float64 reference (library API)", async () => {
  const fx = readTrain3();
  const h = fx.hyperparameters;
  const weights = CheckpointWeights.open(`${MODEL_DIR}/model.safetensors`);
  const tokenizer = BertTokenizer.fromModelDir(MODEL_DIR);
  const optimizer = { beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, weightDecay: h.weight_decay, maxGradNorm: h.max_grad_norm };
  const runner = StepRunner.create(
    {
      config: readTransformerConfig(`${MODEL_DIR}/config.json`),
      pooling: { pooling: "max", activation: "relu" },
      loss: { base: { kind: "mnrl", scale: 1 }, documentRegularizerWeight: h.lambda_document, queryRegularizerWeight: h.lambda_query, useDocumentRegularizerOnly: false },
      optimizer,
      columns: 3,
      dropout: fx.dropout,
      exposeGradients: true,
    },
    (key, shape) => weights.get(key, shape),
    { threads: 2 },
  );
  assert.deepEqual(runner.params.map((p) => p.name).sort(), Object.keys(fx.steps[0].param_l2_after_step).sort(), "trained parameters");
  try {
    for (let i = 0; i < fx.steps.length; i++) {
      const ref = fx.steps[i];
      const lr = linearScheduleLr(i, { baseLr: h.lr, warmupSteps: h.warmup_steps, totalSteps: h.total_steps });
      const reg = (max: number) => regularizerWeight(i, { max, warmupSteps: h.regularizer_warmup_steps, schedule: h.regularizer_schedule });
      assertRelClose(lr, ref.lr, 1e-12, `step ${ref.step} lr`);
      assertRelClose(reg(h.lambda_document), ref.lambda_document, 1e-12, `step ${ref.step} lambda_document`);
      assertRelClose(reg(h.lambda_query), ref.lambda_query, 1e-12, `step ${ref.step} lambda_query`);
      const batch = tokenizeRows(tokenizer, train3Rows(fx, i), { maxLength: h.max_seq_length, labels: false });
      const r = await runner.update(batch, {
        ...adamwScalars(optimizer, i + 1, lr),
        lambdaDocument: reg(h.lambda_document),
        lambdaQuery: reg(h.lambda_query),
        gradScale: 1,
        dropoutSeed: 0,
      });
      for (const part of ["loss", "base_loss", "document_regularizer_loss", "query_regularizer_loss"] as const) {
        assertRelClose(r[part], ref[part], 1e-4, `step ${ref.step} ${part}`);
      }
      assertRelClose(r.gradNorm, ref.grad_norm_before_clip, 1e-3, `step ${ref.step} grad_norm`);
      for (const [name, norm] of Object.entries(ref.grad_l2_per_param_after_clip ?? {})) {
        assertRelClose(l2(r.gradients!.get(name)!), norm, 1e-3, `step ${ref.step} clipped gradient norm of ${name}`, 1e-7);
      }
      for (const [name, grad] of Object.entries(ref.grad_after_clip ?? {})) {
        assertArrayClose(r.gradients!.get(name)!, grad, { rtol: 1e-3, atol: 1e-3 * (l2(grad) / Math.sqrt(grad.length)) }, `step ${ref.step} clipped gradient of ${name}`);
      }
      for (const [name, norm] of Object.entries(ref.param_l2_after_step)) {
        const p = runner.state.params.get(name)!;
        assertRelClose(l2(p), norm, 1e-4, `step ${ref.step} L2 of ${name}`);
        assertRelClose(sum(p), ref.param_sum_after_step[name], 1e-4, `step ${ref.step} sum of ${name}`);
      }
    }
  } finally {
    await runner.release();
  }
});
