/**
 * Gradient clipping to a global L2 norm, as torch.nn.utils.clip_grad_norm_ (HF Trainer's max_grad_norm):
 *   norm = ‖(g_1, …, g_n)‖₂ over every parameter's gradient
 *   coef = min(1, max_norm / (norm + 1e-6));   g_i ← coef · g_i
 * The norm before clipping is what HF logs as grad_norm. The coefficient is returned too, so that the
 * optimizer can fold it into its own scalars instead of a pass that writes coef · g (optimizer/adamw.ts).
 */
import type { GraphBuilder, V } from "../../graph/builder.js";

export interface ClipCoefficient {
  /** Global norm before clipping (scalar). */
  norm: V;
  /** min(1, max_norm / (norm + 1e-6)) (scalar). */
  coef: V;
}

export function clipCoefficient(g: GraphBuilder, grads: V[], maxNorm: number): ClipCoefficient {
  const squares = grads.map((x) => g.op("ReduceSumSquare", [x], { keepdims: 0 }) as V); // scalars
  const norm = g.sqrt(squares.length === 1 ? squares[0] : (g.op("Sum", squares) as V));
  return { norm, coef: g.min2(g.constScalar(1), g.div(g.constScalar(maxNorm), g.add(norm, g.constScalar(1e-6)))) };
}
