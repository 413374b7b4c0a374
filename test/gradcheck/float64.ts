/**
 * Test helper: rewrites a float32 GraphIR to float64 so that finite differences are accurate (central
 * differences at ε = 1e-6 need more than float32's 7 digits). Inputs, outputs, initializers, Cast targets and
 * ConstantOfShape values are widened. onnxruntime has no float64 Erf kernel, so Erf is replaced by a float64
 * expression: the Taylor series (64 terms, Horner in x²) for |x| < 3.5 and the asymptotic erfc expansion
 * beyond (A&S 7.1.5 and 7.1.23); absolute error < 1e-12 on the series side and < 1e-11 beyond. Nor has it a
 * float64 com.microsoft Gelu: it becomes x · ½ · (1 + erf(x · √½)) with that erf.
 */
import type { GraphIR, Node, TensorData } from "../../src/graph/ir.js";

let counter = 0;
const fresh = (base: string) => `f64/${base}_${counter++}`;

function constant(ir: GraphIR, value: number): string {
  const name = fresh("c");
  ir.initializers.set(name, { dtype: "float64", dims: [], data: new Float64Array([value]) });
  return name;
}

/** One float64-graph node; `output` names its result when it must keep an existing name. */
function node(op: string, inputs: string[], attributes: Node["attributes"] = {}, output = fresh(op.toLowerCase())): Node {
  return { op, domain: "", inputs, outputs: [output], attributes, name: fresh(`n_${op}`) };
}

/** Nodes computing erf(x) → out in float64. */
function erf64(ir: GraphIR, x: string, out: string): Node[] {
  const nodes: Node[] = [];
  const emit = (op: string, inputs: string[], attributes: Node["attributes"] = {}): string => {
    const n = node(op, inputs, attributes);
    nodes.push(n);
    return n.outputs[0];
  };
  const z = emit("Mul", [x, x]);
  // Series: erf(x) = 2/√π · x · Σ_n (−1)^n zⁿ / (n! (2n+1)).
  const N = 64;
  const coef: number[] = [];
  let fact = 1;
  for (let n = 0; n <= N; n++) {
    if (n > 0) fact *= n;
    coef.push((n % 2 === 0 ? 1 : -1) / (fact * (2 * n + 1)));
  }
  let acc = constant(ir, coef[N]);
  for (let n = N - 1; n >= 0; n--) acc = emit("Add", [emit("Mul", [acc, z]), constant(ir, coef[n])]);
  const series = emit("Mul", [emit("Mul", [acc, x]), constant(ir, 2 / Math.sqrt(Math.PI))]);
  // Asymptotic: erfc(a) ≈ e^(−a²)/(a√π) · Σ_k (−1)^k (2k−1)!! / (2a²)^k, a = |x| ≥ 3.5.
  const a = emit("Max", [emit("Abs", [x]), constant(ir, 3.5)]);
  const inv = emit("Div", [constant(ir, 1), emit("Mul", [emit("Mul", [a, a]), constant(ir, 2)])]);
  const K = 10;
  let sum = constant(ir, 1);
  let term = constant(ir, 1);
  for (let k = 1; k <= K; k++) {
    term = emit("Mul", [emit("Mul", [term, inv]), constant(ir, -(2 * k - 1))]);
    sum = emit("Add", [sum, term]);
  }
  const erfc = emit("Div", [emit("Mul", [emit("Exp", [emit("Neg", [emit("Mul", [a, a])])]), sum]), emit("Mul", [a, constant(ir, Math.sqrt(Math.PI))])]);
  const tail = emit("Mul", [emit("Sign", [x]), emit("Sub", [constant(ir, 1), erfc])]);
  const small = emit("Less", [emit("Abs", [x]), constant(ir, 3.5)]);
  nodes.push(node("Where", [small, series, tail], {}, out));
  return nodes;
}

function widen(t: TensorData): TensorData {
  return t.dtype === "float32" ? { dtype: "float64", dims: t.dims, data: Float64Array.from(t.data as Float32Array) } : t;
}

export function toFloat64(ir: GraphIR): GraphIR {
  const nodes: Node[] = [];
  for (const n of ir.nodes) {
    if (n.op === "Erf") {
      nodes.push(...erf64(ir, n.inputs[0], n.outputs[0]));
      continue;
    }
    if (n.op === "Gelu" && n.domain === "com.microsoft") {
      const x = n.inputs[0];
      const scaled = node("Mul", [x, constant(ir, Math.SQRT1_2)]);
      const erf = fresh("erf");
      const onePlus = node("Add", [erf, constant(ir, 1)]);
      const half = node("Mul", [x, constant(ir, 0.5)]);
      nodes.push(scaled, ...erf64(ir, scaled.outputs[0], erf), onePlus, half);
      nodes.push(node("Mul", [half.outputs[0], onePlus.outputs[0]], {}, n.outputs[0]));
      continue;
    }
    const attributes = { ...n.attributes };
    if (n.op === "Cast" && attributes.to === 1) attributes.to = 11;
    if (n.op === "ConstantOfShape" && attributes.value) attributes.value = widen(attributes.value as TensorData);
    nodes.push({ ...n, attributes });
  }
  const initializers = new Map<string, TensorData>();
  for (const [k, t] of ir.initializers) initializers.set(k, widen(t));
  const w = <T extends { dtype: string }>(v: T): T => (v.dtype === "float32" ? { ...v, dtype: "float64" } : v);
  return { name: ir.name, inputs: ir.inputs.map(w), outputs: ir.outputs.map(w), initializers, nodes };
}
