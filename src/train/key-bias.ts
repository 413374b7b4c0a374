/**
 * Leaves the attention key bias out of the training graph's scores, where it provably has no effect.
 *
 * Why: scores[s, t] = q_s · (k_t + b_k) = q_s · k_t + q_s · b_k, and the second term is the same for every key t
 * of a query row, which softmax ignores (shift invariance; padding keys stay masked). The exact gradient of
 * b_k is therefore 0. Computed in float32 it comes out as rounding noise (~1e-9 here), and AdamW divides by
 * √v, turning noise into lr-sized updates of a parameter that should not move; PyTorch in float32 does the
 * same, the float64 reference (test/fixtures/*.train3.json) does not. Dropping the Add makes the gradient
 * exactly zero, so AdamW leaves b_k unchanged, and the forward values change only by rounding.
 *
 * The bias stays a trained-graph input and is saved unchanged in checkpoints; inference graphs keep it.
 */
import type { GraphIR } from "../graph/ir.js";
import type { TransformerConfig } from "../model/config.js";

/** Checkpoint keys of the key-projection biases (transformers modeling_distilbert.py / modeling_bert.py). */
export function keyBiasNames(config: TransformerConfig): string[] {
  return Array.from({ length: config.layers }, (_, i) =>
    config.kind === "distilbert" ? `distilbert.transformer.layer.${i}.attention.k_lin.bias` : `bert.encoder.layer.${i}.attention.self.key.bias`,
  );
}

/** Replaces each `Add(x, keyBias)` by `Identity(x)`; returns how many were replaced. */
export function dropKeyBiases(ir: GraphIR, names: readonly string[]): number {
  const biases = new Set(names);
  let replaced = 0;
  for (const node of ir.nodes) {
    if (node.op !== "Add") continue;
    const at = node.inputs.findIndex((i) => biases.has(i));
    if (at < 0) continue;
    node.op = "Identity";
    node.inputs = [node.inputs[1 - at]];
    replaced++;
  }
  return replaced;
}
