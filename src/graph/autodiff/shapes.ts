/**
 * Static shape and dtype inference over a GraphIR, for the ops the project's graphs use. Autodiff needs it to
 * decide at build time which axes a broadcast gradient must be summed over and how to transpose the last two
 * axes of a batched MatMul; where a dimension cannot be known statically it is `null` and the gradient rules
 * fall back to dynamic Shape-based ops (always correct, a few more tiny nodes).
 *
 * A dimension is a number, a symbolic name (equal names are equal sizes, as in ONNX `dim_param`), or null
 * (unknown). A shape is a dimension list, or null when even the rank is unknown.
 */
import type { DType, GraphIR, Node } from "../ir.js";

export type SDim = number | string | null;
export type SShape = SDim[] | null;

export interface ValueMeta {
  shape: SShape;
  dtype: DType | null;
}

const ONNX_TO_DTYPE: Record<number, DType> = { 1: "float32", 2: "uint8", 3: "int8", 6: "int32", 7: "int64", 9: "bool", 10: "float16", 11: "float64" };

const SAME_AS_FIRST = new Set([
  "Identity", "Neg", "Sqrt", "Exp", "Log", "Relu", "Erf", "Tanh", "Abs", "Sigmoid", "Softmax", "LogSoftmax",
  "LayerNormalization", "Dropout", "Gelu", "FastGelu", "Reciprocal", "Sign", "Not", "EyeLike", "Floor", "Ceil", "Round",
  "ScatterElements", "ScatterND",
]);
const BROADCAST = new Set(["Add", "Sum", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mod", "BitwiseXor", "BitwiseAnd", "BitwiseOr", "And", "Or"]);
const COMPARISON = new Set(["Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"]);
const REDUCE = new Set(["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSumSquare", "ReduceProd", "ReduceL2"]);

/**
 * Broadcasts two dims (numpy rules); null when the result cannot be decided statically. A known dim other
 * than 1 wins over an unknown one: the unknown is either 1 or equal to it (anything else is invalid).
 */
function broadcastDim(a: SDim, b: SDim): SDim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a !== null && a === b) return a;
  if (a === null) return b;
  if (b === null) return a;
  return null; // two different known dims: invalid, or two symbols that must be equal at run time
}

export function broadcastShapes(shapes: SShape[]): SShape {
  if (shapes.some((s) => s === null)) return null;
  const rank = Math.max(...shapes.map((s) => s!.length));
  const out: SDim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: SDim = 1;
    for (const s of shapes as SDim[][]) {
      const k = i - (rank - s.length);
      if (k >= 0) d = broadcastDim(d, s[k]);
    }
    out.push(d);
  }
  return out;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export class ShapeInfo {
  private readonly meta = new Map<string, ValueMeta>();

  constructor(private readonly ir: GraphIR) {
    for (const v of ir.inputs) this.meta.set(v.name, { shape: [...v.shape], dtype: v.dtype });
    for (const [name, t] of ir.initializers) this.meta.set(name, { shape: [...t.dims], dtype: t.dtype });
    for (const node of ir.nodes) this.infer(node);
  }

  get(name: string): ValueMeta {
    return this.meta.get(name) ?? { shape: null, dtype: null };
  }

  shape(name: string): SShape {
    return this.get(name).shape;
  }

  rank(name: string): number | null {
    return this.get(name).shape?.length ?? null;
  }

  dtype(name: string): DType | null {
    return this.get(name).dtype;
  }

  /** The values of a constant int64 initializer (axes, shapes, perms), or null. */
  constInts(name: string): number[] | null {
    const t = this.ir.initializers.get(name);
    if (!t || (t.dtype !== "int64" && t.dtype !== "int32")) return null;
    const out: number[] = [];
    for (let i = 0; i < t.data.length; i++) out.push(Number(t.data[i]));
    return out;
  }

  /** Records meta for a value appended later (backward nodes are not re-inferred). */
  set(name: string, meta: ValueMeta): void {
    this.meta.set(name, meta);
  }

  private infer(node: Node): void {
    const ins = node.inputs.map((n) => (n === "" ? { shape: null, dtype: null } : this.get(n)));
    const out = (i: number, shape: SShape, dtype: DType | null) => {
      if (node.outputs[i]) this.meta.set(node.outputs[i], { shape, dtype });
    };
    const op = node.op;
    const a = node.attributes;
    if (SAME_AS_FIRST.has(op)) {
      out(0, ins[0].shape, ins[0].dtype);
      if (op === "Dropout") out(1, ins[0].shape, "bool");
      if (op === "LayerNormalization") {
        const s = ins[0].shape;
        const axis = typeof a.axis === "number" ? a.axis : -1;
        const stat = s === null ? null : s.map((d, i) => (i >= normAxis(axis, s.length) ? 1 : d));
        out(1, stat, "float32");
        out(2, stat, "float32");
      }
    } else if (BROADCAST.has(op)) {
      out(0, broadcastShapes(ins.map((m) => m.shape)), ins[0].dtype);
    } else if (COMPARISON.has(op)) {
      out(0, broadcastShapes(ins.map((m) => m.shape)), "bool");
    } else if (op === "Where") {
      out(0, broadcastShapes(ins.map((m) => m.shape)), ins[1].dtype);
    } else if (op === "Cast") {
      out(0, ins[0].shape, ONNX_TO_DTYPE[a.to as number] ?? null);
    } else if (op === "MatMul") {
      out(0, this.matmulShape(ins[0].shape, ins[1].shape), ins[0].dtype);
    } else if (op === "Gemm") {
      const [sa, sb] = [ins[0].shape, ins[1].shape];
      const m = sa === null ? null : a.transA ? sa[1] : sa[0];
      const n = sb === null ? null : a.transB ? sb[0] : sb[1];
      out(0, [m, n], ins[0].dtype);
    } else if (op === "Transpose") {
      const s = ins[0].shape;
      const perm = (a.perm as number[] | undefined) ?? (s ? s.map((_, i) => s.length - 1 - i) : null);
      out(0, s === null || perm === null ? null : perm.map((p) => s[p]), ins[0].dtype);
    } else if (op === "Reshape") {
      out(0, this.reshapeShape(ins[0].shape, node.inputs[1]), ins[0].dtype);
    } else if (op === "Unsqueeze" || op === "Squeeze") {
      out(0, this.squeezeShape(op, ins[0].shape, node.inputs[1]), ins[0].dtype);
    } else if (op === "Gather") {
      const [sd, si] = [ins[0].shape, ins[1].shape];
      if (sd === null || si === null) out(0, null, ins[0].dtype);
      else {
        const axis = normAxis((a.axis as number | undefined) ?? 0, sd.length);
        out(0, [...sd.slice(0, axis), ...si, ...sd.slice(axis + 1)], ins[0].dtype);
      }
    } else if (REDUCE.has(op) || op === "ArgMax") {
      out(0, this.reduceShape(node, ins[0].shape), op === "ArgMax" ? "int64" : ins[0].dtype);
    } else if (op === "Concat") {
      out(0, this.concatShape(ins.map((m) => m.shape), a.axis as number), ins[0].dtype);
    } else if (op === "Flatten") {
      const s = ins[0].shape;
      const axis = s === null ? 0 : normAxis((a.axis as number | undefined) ?? 1, s.length);
      const prod = (ds: SDim[]): SDim => (ds.every((d) => typeof d === "number") ? (ds as number[]).reduce((x, y) => x * y, 1) : null);
      out(0, s === null ? null : [prod(s.slice(0, axis)), prod(s.slice(axis))], ins[0].dtype);
    } else if (op === "Shape") {
      out(0, [ins[0].shape === null ? null : ins[0].shape.length], "int64");
    } else if (op === "Size") {
      out(0, [], "int64");
    } else if (op === "Slice") {
      out(0, this.sliceShape(ins[0].shape, node), ins[0].dtype);
    } else if (op === "Expand") {
      const r = this.get(node.inputs[1]).shape?.[0];
      out(0, typeof r === "number" ? Array.from({ length: r }, () => null) : null, ins[0].dtype);
    } else if (op === "Range") {
      out(0, [null], ins[0].dtype);
    } else if (op === "ConstantOfShape") {
      const len = ins[0].shape?.[0];
      const value = a.value as { dtype: DType } | undefined;
      out(0, typeof len === "number" ? Array.from({ length: len }, () => null) : null, value?.dtype ?? "float32");
    } else {
      for (let i = 0; i < node.outputs.length; i++) out(i, null, null);
    }
  }

  private matmulShape(sa: SShape, sb: SShape): SShape {
    if (sa === null || sb === null || sa.length < 2 || sb.length < 2) return null;
    const batch = broadcastShapes([sa.slice(0, -2), sb.slice(0, -2)]);
    return batch === null ? null : [...batch, sa[sa.length - 2], sb[sb.length - 1]];
  }

  private reshapeShape(s: SShape, shapeName: string): SShape {
    const target = this.constInts(shapeName);
    if (target === null) {
      const len = this.get(shapeName).shape?.[0];
      return typeof len === "number" ? Array.from({ length: len }, () => null) : null;
    }
    const dims: SDim[] = target.map((d, i) => (d === 0 ? (s?.[i] ?? null) : d === -1 ? null : d));
    const minus = target.indexOf(-1);
    if (minus >= 0 && s !== null && s.every((d) => typeof d === "number") && dims.every((d, i) => i === minus || typeof d === "number")) {
      const total = (s as number[]).reduce((x, y) => x * y, 1);
      const known = (dims.filter((_, i) => i !== minus) as number[]).reduce((x, y) => x * y, 1);
      dims[minus] = total / known;
    }
    return dims;
  }

  private squeezeShape(op: string, s: SShape, axesName: string | undefined): SShape {
    if (s === null) return null;
    const axes = axesName ? this.constInts(axesName) : null;
    if (axes === null) return op === "Squeeze" && !axesName ? s.filter((d) => d !== 1) : null;
    if (op === "Squeeze") {
      const norm = axes.map((x) => normAxis(x, s.length));
      return s.filter((_, i) => !norm.includes(i));
    }
    const rank = s.length + axes.length;
    const norm = axes.map((x) => normAxis(x, rank));
    const outShape: SDim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) outShape.push(norm.includes(i) ? 1 : s[k++]);
    return outShape;
  }

  /** Unsliced axes keep their dim; a sliced axis is computed when its dim and bounds are constants. */
  private sliceShape(s: SShape, node: Node): SShape {
    if (s === null) return null;
    const [, startsName, endsName, axesName, stepsName] = node.inputs;
    const starts = this.constInts(startsName);
    const ends = this.constInts(endsName);
    const axes = axesName ? this.constInts(axesName) : starts?.map((_, i) => i) ?? null;
    const steps = stepsName ? this.constInts(stepsName) : null;
    if (axes === null) return s.map(() => null);
    const out = s.slice();
    axes.forEach((raw, k) => {
      const axis = normAxis(raw, s.length);
      const dim = s[axis];
      const step = steps?.[k] ?? 1;
      if (typeof dim !== "number" || starts === null || ends === null || step !== 1) {
        out[axis] = null;
        return;
      }
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
      out[axis] = Math.max(0, clamp(ends[k]) - clamp(starts[k]));
    });
    return out;
  }

  private reduceShape(node: Node, s: SShape): SShape {
    if (s === null) return null;
    const keep = (node.attributes.keepdims ?? 1) !== 0;
    let axes: number[] | null;
    if (node.op === "ArgMax") axes = [(node.attributes.axis as number | undefined) ?? 0];
    else axes = node.inputs[1] ? this.constInts(node.inputs[1]) : [];
    if (axes === null) return null;
    const all = axes.length === 0 && !node.attributes.noop_with_empty_axes;
    if (axes.length === 0 && !all) return s;
    const norm = all ? s.map((_, i) => i) : axes.map((x) => normAxis(x, s.length));
    return keep ? s.map((d, i) => (norm.includes(i) ? 1 : d)) : s.filter((_, i) => !norm.includes(i));
  }

  private concatShape(shapes: SShape[], axis: number): SShape {
    if (shapes.some((s) => s === null)) return null;
    const first = shapes[0] as SDim[];
    const ax = normAxis(axis, first.length);
    let total: SDim = 0;
    for (const s of shapes as SDim[][]) total = typeof total === "number" && typeof s[ax] === "number" ? total + (s[ax] as number) : null;
    return first.map((d, i) => (i === ax ? total : d));
  }
}
