/**
 * Reverse-mode differentiation of a GraphIR: appends the backward graph of a scalar `loss` with respect to
 * `wrt` (graph inputs, initializers or inner values) and returns the name of each gradient value.
 *
 * Nodes are visited in reverse order (the IR is topologically ordered, as GraphBuilder emits it). A value used
 * by several nodes receives one contribution per use; they are summed (Sum) before its producer's rule runs.
 * Only values that depend on some `wrt` carry gradients, so rules never differentiate masks or indices.
 * Ops without a rule throw UNSUPPORTED naming the node: a gradient is never silently zero.
 */
import type { V } from "../builder.js";
import type { GraphIR } from "../ir.js";
import { SpladeError } from "../../util/errors.js";
import { GradContext, freshPrefix, type GradContextOptions } from "./context.js";
import { GRAD_RULES, NON_DIFFERENTIABLE } from "./rules/index.js";

export interface DifferentiateOptions {
  /** The value to differentiate (any shape; the seed gradient is ones, i.e. d sum(loss)). */
  loss: string;
  /** Values to differentiate with respect to. */
  wrt: string[];
  /** Prefix of backward value names (default "grad/", made unique against the graph). */
  prefix?: string;
  /** Tuning of individual rules (see GradContextOptions). */
  rules?: GradContextOptions;
}

export interface Differentiated {
  /** wrt name → gradient value name (zeros when the loss does not depend on it). */
  gradients: Map<string, string>;
  /** The context used, so that callers can append more nodes with the same builder and shape info. */
  context: GradContext;
}

export function differentiate(ir: GraphIR, options: DifferentiateOptions): Differentiated {
  const ctx = new GradContext(ir, freshPrefix(ir, options.prefix ?? "grad/"), options.rules);
  const forwardNodes = ir.nodes.slice();

  // Values that depend on some wrt through differentiable ops.
  const requires = new Set(options.wrt);
  for (const node of forwardNodes) {
    if (NON_DIFFERENTIABLE.has(node.op)) continue;
    if (node.op === "Cast" && !isFloatCast(node.attributes.to as number)) continue;
    if (node.inputs.some((i) => requires.has(i))) for (const o of node.outputs) requires.add(o);
  }
  if (!requires.has(options.loss)) {
    throw new SpladeError("INVALID_ARGUMENT", `autodiff: loss '${options.loss}' does not depend on any of the ${options.wrt.length} wrt values`);
  }

  const contributions = new Map<string, V[]>();
  const rowContributions = new Map<string, Array<{ rows: V; updates: V }>>();
  const add = (name: string, g: V) => {
    const list = contributions.get(name);
    if (list) list.push(g);
    else contributions.set(name, [g]);
  };
  const total = (name: string): V | null => {
    const list = contributions.get(name) ?? [];
    const sparse = rowContributions.get(name) ?? [];
    if (list.length === 0 && sparse.length === 0) return null;
    let sum = list.length === 0 ? null : list.length === 1 ? list[0] : (ctx.b.op("Sum", list) as V);
    if (sparse.length > 0) {
      const b = ctx.b;
      const dense = b.op("Flatten", [sum ?? ctx.zerosLike(name)], { axis: 1 }) as V; // [N, C]
      const rows = sparse.length === 1 ? sparse[0].rows : b.concat(sparse.map((r) => r.rows), 0); // [I]
      const updates = sparse.length === 1 ? sparse[0].updates : b.concat(sparse.map((r) => r.updates), 0); // [I, C]
      sum = ctx.reshapeLike(ctx.scatterAddRows(dense, rows, updates), name);
      rowContributions.delete(name);
    }
    contributions.set(name, [sum!]);
    return sum;
  };

  ctx.requiresGrad = (name) => requires.has(name);
  ctx.contribute = (name, g) => {
    if (requires.has(name)) add(name, g);
  };
  ctx.contributeRows = (name, rows, updates) => {
    if (!requires.has(name)) return;
    const list = rowContributions.get(name);
    if (list) list.push({ rows, updates });
    else rowContributions.set(name, [{ rows, updates }]);
  };

  const seed = ctx.b.op("ConstantOfShape", [ctx.shapeOf(options.loss)], { value: { dtype: "float32", dims: [1], data: new Float32Array([1]) } }) as V;
  add(options.loss, seed);

  for (let k = forwardNodes.length - 1; k >= 0; k--) {
    const node = forwardNodes[k];
    if (!node.outputs.some((o) => contributions.has(o) || rowContributions.has(o))) continue;
    const gradOutputs = node.outputs.map((o) => total(o));
    const needs = node.inputs.map((i) => i !== "" && requires.has(i));
    if (!needs.some(Boolean)) continue;
    const rule = GRAD_RULES[node.op];
    if (!rule) {
      throw new SpladeError("UNSUPPORTED", `autodiff: no gradient rule for op ${node.op} (node '${node.name}')`);
    }
    const gradInputs = rule(ctx, node, gradOutputs, needs);
    node.inputs.forEach((input, i) => {
      const g = gradInputs[i];
      if (needs[i] && g) add(input, g);
    });
  }

  const gradients = new Map<string, string>();
  for (const w of options.wrt) gradients.set(w, (total(w) ?? ctx.zerosLike(w)).name);
  return { gradients, context: ctx };
}

/** ONNX TensorProto types FLOAT, FLOAT16, DOUBLE, BFLOAT16. */
function isFloatCast(to: number): boolean {
  return to === 1 || to === 10 || to === 11 || to === 16;
}
