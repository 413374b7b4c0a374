/**
 * The contract of a gradient rule (one per ONNX op type, grouped by family under rules/): given a forward
 * node, the gradients of its outputs (null for an output nothing depends on) and which inputs need a
 * gradient, append backward nodes and return one gradient per input (null where none is needed or the input
 * is not differentiable: indices, shapes, masks).
 */
import type { V } from "../builder.js";
import type { Node } from "../ir.js";
import type { GradContext } from "./context.js";

export type GradRule = (ctx: GradContext, node: Node, gradOutputs: Array<V | null>, needs: boolean[]) => Array<V | null>;
