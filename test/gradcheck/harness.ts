/**
 * Finite-difference gradient checks for autodiff rules. A case builds a small forward graph on its inputs;
 * the harness reduces the output to a scalar with fixed random weights (L = Σ y ⊙ r, so every output element
 * matters with a different weight), differentiates L with respect to the float inputs, runs the graph in
 * float64 (or float32 where a case asks) and compares each analytic gradient element with the central
 * difference (L(x + ε) − L(x − ε)) / 2ε. Failures report the max |Δ| and the first bad index.
 */
import assert from "node:assert/strict";
import { GraphBuilder, type V } from "../../src/graph/builder.js";
import type { DType, GraphIR } from "../../src/graph/ir.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { differentiate, ShapeInfo, type GradContextOptions } from "../../src/graph/autodiff/index.js";
import { Rng } from "../../src/util/rng.js";
import { toFloat64 } from "./float64.js";

export interface CaseInput {
  name: string;
  shape: number[];
  /** Explicit values; default: seeded normals (uniform in [0.5, 2] with `positive`). */
  data?: number[];
  dtype?: "float32" | "int64" | "bool";
  positive?: boolean;
  /** The shape declared in the graph (symbolic dims exercise the rules' dynamic paths); default `shape`. */
  declared?: Array<number | string>;
  /** Check only this many elements (seeded random choice) instead of all. */
  sample?: number;
  /** Whether to check the gradient of this input (default: true for float inputs). */
  check?: boolean;
}

export interface GradcheckCase {
  inputs: CaseInput[];
  build(g: GraphBuilder, x: Record<string, V>): V;
  /** Evaluate in "float64" (default) or "float32". */
  precision?: "float64" | "float32";
  eps?: number;
  rtol?: number;
  atol?: number;
  seed?: number;
  /** Rule tuning passed to differentiate. */
  rules?: GradContextOptions;
}

function inputData(input: CaseInput, rng: Rng): number[] {
  const n = input.shape.reduce((a, b) => a * b, 1);
  if (input.data) return input.data;
  return Array.from({ length: n }, () => (input.positive ? 0.5 + 1.5 * rng.next() : rng.normal()));
}

function tensor(input: CaseInput, values: number[], precision: "float64" | "float32"): ort.Tensor {
  const dtype = input.dtype ?? "float32";
  if (dtype === "int64") return new ort.Tensor("int64", BigInt64Array.from(values.map((v) => BigInt(v))), input.shape);
  if (dtype === "bool") return new ort.Tensor("bool", Uint8Array.from(values), input.shape);
  return precision === "float64" ? new ort.Tensor("float64", Float64Array.from(values), input.shape) : new ort.Tensor("float32", Float32Array.from(values), input.shape);
}

function buildForward(c: GradcheckCase): { g: GraphBuilder; y: V } {
  const g = new GraphBuilder("gradcheck");
  const x: Record<string, V> = {};
  for (const i of c.inputs) x[i.name] = g.input(i.name, (i.dtype ?? "float32") as DType, i.declared ?? i.shape);
  return { g, y: c.build(g, x) };
}

async function session(ir: GraphIR, precision: "float64" | "float32"): Promise<GraphSession> {
  const model = precision === "float64" ? toFloat64(ir) : ir;
  return GraphSession.create(serializeModel(model), { threads: 1, optimization: "disabled" });
}

function sampleIndices(n: number, sample: number | undefined, rng: Rng): number[] {
  if (sample === undefined || sample >= n) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < sample) chosen.add(rng.int(n));
  return [...chosen].sort((x, y) => x - y);
}

export interface GradcheckReport {
  checked: number;
  maxAbsError: number;
}

export async function gradcheck(c: GradcheckCase): Promise<GradcheckReport> {
  const precision = c.precision ?? "float64";
  const eps = c.eps ?? (precision === "float64" ? 1e-6 : 1e-2);
  const rtol = c.rtol ?? (precision === "float64" ? 1e-6 : 1e-3);
  const atol = c.atol ?? (precision === "float64" ? 1e-8 : 1e-4);
  const rng = new Rng(c.seed ?? 1234);
  const values = new Map(c.inputs.map((i) => [i.name, inputData(i, rng)]));

  // Phase 1: the output's runtime shape, for the weights r.
  const probe = buildForward(c);
  const inferred = new ShapeInfo(probe.g.ir).shape(probe.y.name);
  if (inferred === null) throw new Error("gradcheck: the case output's rank is not inferable");
  probe.g.output(probe.y, "y", "float32", inferred.map((d, i) => d ?? `d${i}`));
  const feeds = (vals: Map<string, number[]>) => Object.fromEntries(c.inputs.map((i) => [i.name, tensor(i, vals.get(i.name)!, precision)]));
  const yShape = (await (await session(probe.g.ir, precision)).run(feeds(values))).y.dims as number[];

  // Phase 2: L = Σ y ⊙ r and its gradients.
  const { g, y } = buildForward(c);
  const rCount = yShape.reduce((a, b) => a * b, 1);
  const r = g.initializer("r", { dtype: "float32", dims: yShape, data: Float32Array.from({ length: rCount }, () => rng.normal()) });
  const loss = g.reduceSum(g.reshape(g.mul(y, r), [-1]), [0], false);
  g.output(loss, "loss", "float32", []);
  const checked = c.inputs.filter((i) => (i.check ?? (i.dtype ?? "float32") === "float32"));
  const { gradients } = differentiate(g.ir, { loss: "loss", wrt: checked.map((i) => i.name), rules: c.rules });
  for (const i of checked) g.output({ name: gradients.get(i.name)! }, `grad_${i.name}`, "float32", i.shape);
  const s = await session(g.ir, precision);
  const analytic = await s.run(feeds(values));

  let maxAbsError = 0;
  let count = 0;
  for (const input of checked) {
    const a = Array.from(analytic[`grad_${input.name}`].data as Float64Array | Float32Array);
    assert.equal(a.length, values.get(input.name)!.length, `gradient of ${input.name} has ${a.length} elements`);
    const base = values.get(input.name)!;
    const numeric = new Map<number, number>();
    const indices = sampleIndices(base.length, input.sample, rng);
    for (const k of indices) {
      const at = async (delta: number) => {
        const v = new Map(values);
        const x = base.slice();
        x[k] += delta;
        v.set(input.name, x);
        return Number((await s.run(feeds(v), ["loss"])).loss.data[0]);
      };
      numeric.set(k, ((await at(eps)) - (await at(-eps))) / (2 * eps));
    }
    let firstBad = -1;
    let worst = 0;
    for (const k of indices) {
      const err = Math.abs(a[k] - numeric.get(k)!);
      worst = Math.max(worst, err);
      maxAbsError = Math.max(maxAbsError, err);
      if (firstBad < 0 && !(err <= atol + rtol * Math.max(Math.abs(a[k]), Math.abs(numeric.get(k)!)))) firstBad = k;
      count++;
    }
    assert.equal(
      firstBad,
      -1,
      `d loss / d ${input.name}: first bad index ${firstBad}: analytic ${a[firstBad]} vs numeric ${numeric.get(firstBad)}; max |Δ| ${worst}`,
    );
  }
  await s.release();
  return { checked: count, maxAbsError };
}
