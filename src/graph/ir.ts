/**
 * The graph IR: a plain, inspectable description of an ONNX graph (values, nodes, initializers) that the
 * builder produces, autodiff transforms and onnx-proto.ts serializes. Kept as data (not protobuf objects) so
 * that reverse-mode differentiation can walk and extend it in TypeScript.
 */

/** Element types we emit, with their ONNX TensorProto.DataType numbers. */
export const ONNX_DTYPE = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
} as const;
export type DType = keyof typeof ONNX_DTYPE;

/** A dimension: a fixed size, or a symbolic name such as "batch" or "tokens". */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dtype: DType;
  shape: Dim[];
}

export type TypedData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array | Uint16Array;

/** A constant tensor (weights, constants). `data` is stored as-is (little-endian raw bytes when serialized). */
export interface TensorData {
  dtype: DType;
  dims: number[];
  data: TypedData;
}

export type AttributeValue = number | string | number[] | string[] | TensorData | { float: number } | { floats: number[] };

export interface Node {
  op: string;
  domain: string; // "" for the default ONNX domain, "com.microsoft" for onnxruntime contrib ops
  inputs: string[]; // "" marks an omitted optional input
  outputs: string[];
  attributes: Record<string, AttributeValue>;
  name: string;
}

export interface GraphIR {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, TensorData>;
  nodes: Node[];
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
