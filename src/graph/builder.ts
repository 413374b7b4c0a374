/**
 * GraphBuilder: writes ONNX graphs in TypeScript. Values are handles (`V`) carrying their name; each op helper
 * appends one node and returns its output(s). Model code reads like the math (see model/bert.ts), autodiff
 * reads the resulting GraphIR. Generic escape hatch: `op(type, inputs, attributes, { outputs, domain })`.
 *
 * Conventions: default ONNX domain at opset 18 (ReduceMax/ReduceSum/ReduceMean take `axes` as an input
 * tensor); constants are initializers; names are unique (a counter suffix).
 */
import type { AttributeValue, DType, Dim, GraphIR, Node, TensorData, ValueInfo } from "./ir.js";

/** A value (tensor) in the graph under construction. */
export interface V {
  readonly name: string;
}

export interface OpOptions {
  outputs?: number;
  domain?: string;
  /** Explicit output names (otherwise generated). */
  outputNames?: string[];
}

export class GraphBuilder {
  readonly ir: GraphIR;
  private counter = 0;

  constructor(name = "graph") {
    this.ir = { name, inputs: [], outputs: [], initializers: new Map(), nodes: [] };
  }

  uniqueName(base: string): string {
    return `${base}__${this.counter++}`;
  }

  input(name: string, dtype: DType, shape: Dim[]): V {
    this.ir.inputs.push({ name, dtype, shape });
    return { name };
  }

  output(value: V, name: string, dtype: DType, shape: Dim[]): V {
    let v = value;
    if (value.name !== name) v = this.op("Identity", [value], {}, { outputNames: [name] }) as V;
    const info: ValueInfo = { name, dtype, shape };
    this.ir.outputs.push(info);
    return v;
  }

  /** A named constant tensor (weights keep their checkpoint key as name). */
  initializer(name: string, tensor: TensorData): V {
    this.ir.initializers.set(name, tensor);
    return { name };
  }

  constFloat(values: number[] | Float32Array, dims: number[] = [values.length]): V {
    return this.initializer(this.uniqueName("const_f"), { dtype: "float32", dims, data: Float32Array.from(values) });
  }

  constScalar(value: number): V {
    return this.constFloat([value], []);
  }

  constInt64(values: number[], dims: number[] = [values.length]): V {
    return this.initializer(this.uniqueName("const_i"), {
      dtype: "int64",
      dims,
      data: BigInt64Array.from(values.map((v) => BigInt(v))),
    });
  }

  op(type: string, inputs: Array<V | null>, attributes: Record<string, AttributeValue> = {}, options: OpOptions = {}): V | V[] {
    const count = options.outputNames?.length ?? options.outputs ?? 1;
    const outputs = options.outputNames ?? Array.from({ length: count }, () => this.uniqueName(type.toLowerCase()));
    const node: Node = {
      op: type,
      domain: options.domain ?? "",
      inputs: inputs.map((i) => (i === null ? "" : i.name)),
      outputs,
      attributes,
      name: this.uniqueName(`n_${type}`),
    };
    this.ir.nodes.push(node);
    const handles = outputs.map((name) => ({ name }));
    return count === 1 && options.outputs === undefined ? handles[0] : handles;
  }

  private op1(type: string, inputs: Array<V | null>, attributes: Record<string, AttributeValue> = {}): V {
    return this.op(type, inputs, attributes) as V;
  }

  // Elementwise (numpy broadcasting).
  add(a: V, b: V): V { return this.op1("Add", [a, b]); }
  sub(a: V, b: V): V { return this.op1("Sub", [a, b]); }
  mul(a: V, b: V): V { return this.op1("Mul", [a, b]); }
  div(a: V, b: V): V { return this.op1("Div", [a, b]); }
  neg(a: V): V { return this.op1("Neg", [a]); }
  sqrt(a: V): V { return this.op1("Sqrt", [a]); }
  exp(a: V): V { return this.op1("Exp", [a]); }
  log(a: V): V { return this.op1("Log", [a]); }
  relu(a: V): V { return this.op1("Relu", [a]); }
  erf(a: V): V { return this.op1("Erf", [a]); }
  tanh(a: V): V { return this.op1("Tanh", [a]); }
  abs(a: V): V { return this.op1("Abs", [a]); }
  pow(a: V, b: V): V { return this.op1("Pow", [a, b]); }
  greater(a: V, b: V): V { return this.op1("Greater", [a, b]); }
  equal(a: V, b: V): V { return this.op1("Equal", [a, b]); }
  where(cond: V, a: V, b: V): V { return this.op1("Where", [cond, a, b]); }
  max2(a: V, b: V): V { return this.op1("Max", [a, b]); }
  min2(a: V, b: V): V { return this.op1("Min", [a, b]); }
  cast(a: V, to: DType): V {
    const TO: Record<DType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 };
    return this.op1("Cast", [a], { to: TO[to] });
  }

  // Linear algebra.
  matmul(a: V, b: V): V { return this.op1("MatMul", [a, b]); }
  /** Gemm: alpha·A'·B' + beta·C (2-D only). */
  gemm(a: V, b: V, c: V | null, opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): V {
    return this.op1("Gemm", c ? [a, b, c] : [a, b], {
      transA: opts.transA ? 1 : 0,
      transB: opts.transB ? 1 : 0,
      alpha: { float: opts.alpha ?? 1 },
      beta: { float: opts.beta ?? 1 },
    });
  }

  // Shapes.
  reshape(a: V, shape: number[]): V { return this.op1("Reshape", [a, this.constInt64(shape)]); }
  reshapeTo(a: V, shape: V): V { return this.op1("Reshape", [a, shape]); }
  transpose(a: V, perm: number[]): V { return this.op1("Transpose", [a], { perm }); }
  unsqueeze(a: V, axes: number[]): V { return this.op1("Unsqueeze", [a, this.constInt64(axes)]); }
  squeeze(a: V, axes: number[]): V { return this.op1("Squeeze", [a, this.constInt64(axes)]); }
  shape(a: V): V { return this.op1("Shape", [a]); }
  concat(values: V[], axis: number): V { return this.op1("Concat", values, { axis }); }
  gather(data: V, indices: V, axis = 0): V { return this.op1("Gather", [data, indices], { axis }); }
  slice(a: V, starts: number[], ends: number[], axes: number[]): V {
    return this.op1("Slice", [a, this.constInt64(starts), this.constInt64(ends), this.constInt64(axes)]);
  }

  // Reductions (opset 18: axes as an input).
  reduceMax(a: V, axes: number[], keepdims = false): V { return this.op1("ReduceMax", [a, this.constInt64(axes)], { keepdims: keepdims ? 1 : 0 }); }
  reduceSum(a: V, axes: number[], keepdims = false): V { return this.op1("ReduceSum", [a, this.constInt64(axes)], { keepdims: keepdims ? 1 : 0 }); }
  reduceMean(a: V, axes: number[], keepdims = false): V { return this.op1("ReduceMean", [a, this.constInt64(axes)], { keepdims: keepdims ? 1 : 0 }); }

  // Neural-network ops.
  softmax(a: V, axis = -1): V { return this.op1("Softmax", [a], { axis }); }
  layerNorm(x: V, scale: V, bias: V, epsilon: number, axis = -1): V {
    return this.op1("LayerNormalization", [x, scale, bias], { axis, epsilon: { float: epsilon } });
  }
}
