/**
 * Removes the Identity nodes that GraphBuilder.output inserts to give a computed value its output name: the
 * producer's output is renamed to the graph output instead (and every use of it follows). onnxruntime keeps such
 * Identity nodes and copies the tensor; for a training step whose outputs are every parameter and both Adam
 * moments, that is a full extra pass over 3 × the model's size per step. Values that are graph inputs,
 * initializers or other outputs keep their Identity (a copy is what the graph means there).
 */
import type { GraphIR } from "./ir.js";

export function foldOutputIdentities(ir: GraphIR): number {
  const outputs = new Set(ir.outputs.map((o) => o.name));
  const external = new Set([...ir.inputs.map((i) => i.name), ...ir.initializers.keys()]);
  const producer = new Map<string, number>();
  ir.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const rename = new Map<string, string>();
  const drop = new Set<number>();
  ir.nodes.forEach((n, i) => {
    if (n.op !== "Identity" || n.domain !== "" || !outputs.has(n.outputs[0])) return;
    const x = n.inputs[0];
    if (external.has(x) || outputs.has(x) || rename.has(x) || !producer.has(x)) return;
    rename.set(x, n.outputs[0]);
    drop.add(i);
  });
  if (rename.size === 0) return 0;
  const nodes = ir.nodes.filter((_, i) => !drop.has(i));
  for (const n of nodes) {
    n.inputs = n.inputs.map((x) => rename.get(x) ?? x);
    n.outputs = n.outputs.map((x) => rename.get(x) ?? x);
  }
  ir.nodes = nodes;
  return drop.size;
}
