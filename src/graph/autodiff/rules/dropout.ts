/**
 * Gradient of ONNX Dropout (opset 13+): inputs (data, ratio?, training_mode?), outputs (output, mask?).
 *   inference (training_mode absent or a constant false): y = x, dx = g
 *   training: y = x ⊙ m / (1 − p), dx = g ⊙ m / (1 − p), m the node's own mask output (added to the node
 *   when the model did not ask for it), p the ratio input (default 0.5).
 * The training graphs of this project do not use ONNX Dropout: its random state lives inside onnxruntime and
 * cannot be checkpointed, so resumed runs would differ. They use train/dropout.ts (masks from a counter-based
 * hash of a seed input), which is a Mul by a mask and differentiated by the Mul rule.
 * Tests: test/gradcheck/dropout.test.ts.
 */
import type { V } from "../../builder.js";
import type { GradRule } from "../rule.js";

const dropout: GradRule = (ctx, node, [g]) => {
  const b = ctx.b;
  const [, ratioName, modeName] = node.inputs;
  const mode = modeName ? ctx.ir.initializers.get(modeName) : undefined;
  const inference = !modeName || (mode !== undefined && mode.data.length > 0 && Number(mode.data[0]) === 0);
  if (inference) return [g, null, null].slice(0, node.inputs.length);
  if (!node.outputs[1]) node.outputs[1] = ctx.b.uniqueName("dropout_mask");
  const mask = b.cast(ctx.v(node.outputs[1]), "float32");
  const ratio = ratioName ? ctx.v(ratioName) : ctx.scalar(0.5);
  const scale = b.div(ctx.scalar(1), b.sub(ctx.scalar(1), b.cast(ratio, "float32")));
  return [b.mul(b.mul(g!, mask), scale) as V, null, null].slice(0, node.inputs.length);
};

export const DROPOUT_RULES: Record<string, GradRule> = { Dropout: dropout };
