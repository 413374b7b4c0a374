/**
 * Serializes a GraphIR to ONNX ModelProto bytes. Field numbers from onnx/onnx.proto (IR version 8):
 * ModelProto{ir_version=1, producer_name=2, producer_version=3, graph=7, opset_import=8},
 * GraphProto{node=1, name=2, initializer=5, input=11, output=12}, NodeProto{input=1, output=2, name=3,
 * op_type=4, attribute=5, domain=7}, AttributeProto{name=1, f=2, i=3, s=4, t=5, floats=7, ints=8,
 * strings=9, type=20}, TensorProto{dims=1, data_type=2, name=8, raw_data=9}, ValueInfoProto{name=1, type=2},
 * TypeProto{tensor_type=1}, TypeProto.Tensor{elem_type=1, shape=2}, TensorShapeProto{dim=1},
 * Dimension{dim_value=1, dim_param=2}, OperatorSetIdProto{domain=1, version=2}.
 */
import { ProtoMessage } from "./protobuf-writer.js";
import { ONNX_DTYPE, type AttributeValue, type GraphIR, type Node, type TensorData, type ValueInfo } from "./ir.js";

/** ONNX AttributeProto.AttributeType. */
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export const DEFAULT_OPSET = 18;
const IR_VERSION = 8;

export function tensorProto(name: string, t: TensorData): ProtoMessage {
  const m = new ProtoMessage();
  m.packedInts(1, t.dims);
  m.int(2, ONNX_DTYPE[t.dtype]);
  m.string(8, name);
  m.bytes(9, tensorBytes(t));
  return m;
}

const tensorBytes = (t: TensorData) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/** A TensorProto whose data lives in the external file `location` (bytes [0, length)). */
function externalTensorProto(name: string, t: TensorData, location: string): ProtoMessage {
  const m = new ProtoMessage();
  m.packedInts(1, t.dims);
  m.int(2, ONNX_DTYPE[t.dtype]);
  m.string(8, name);
  const entry = (key: string, value: string) => new ProtoMessage().string(1, key).string(2, value);
  m.message(13, entry("location", location)).message(13, entry("offset", "0")).message(13, entry("length", String(t.data.byteLength)));
  m.int(14, 1); // data_location: EXTERNAL
  return m;
}

function isTensor(v: AttributeValue): v is TensorData {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "dims" in v;
}

function attributeProto(name: string, value: AttributeValue): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  if (typeof value === "number") {
    // Integers become INT attributes; use { float: x } to force FLOAT for an integral float value.
    if (Number.isInteger(value)) m.int(3, value).int(20, ATTR.INT);
    else m.float(2, value).int(20, ATTR.FLOAT);
  } else if (typeof value === "string") {
    m.string(4, value).int(20, ATTR.STRING);
  } else if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === "string") {
      for (const s of value as string[]) m.string(9, s);
      m.int(20, ATTR.STRINGS);
    } else {
      m.packedInts(8, value as number[]).int(20, ATTR.INTS);
    }
  } else if (isTensor(value)) {
    m.message(5, tensorProto(name, value)).int(20, ATTR.TENSOR);
  } else if ("float" in value) {
    m.float(2, value.float).int(20, ATTR.FLOAT);
  } else {
    m.packedFloats(7, value.floats).int(20, ATTR.FLOATS);
  }
  return m;
}

function nodeProto(node: Node): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of node.inputs) m.string(1, i);
  for (const o of node.outputs) m.string(2, o);
  m.string(3, node.name).string(4, node.op);
  for (const [k, v] of Object.entries(node.attributes)) m.message(5, attributeProto(k, v));
  if (node.domain) m.string(7, node.domain);
  return m;
}

function valueInfoProto(v: ValueInfo): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.shape) {
    const dim = new ProtoMessage();
    if (typeof d === "number") dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoMessage().int(1, ONNX_DTYPE[v.dtype]).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, v.name).message(2, type);
}

export interface SerializeOptions {
  opset?: number;
  /** Extra operator domains, e.g. { "com.microsoft": 1 } for onnxruntime contrib ops. */
  domains?: Record<string, number>;
  producerName?: string;
  /**
   * Initializers of at least this many bytes are not copied into the model: each becomes an external-data
   * tensor whose "file" is the initializer's own memory, returned in `externalData` (see serializeModelExternal).
   */
  externalFromBytes?: number;
}

/** An in-memory external-data file of a serialized model (onnxruntime's SessionOptions.externalData). */
export interface ExternalFile {
  path: string;
  data: Uint8Array;
}

/** A ModelProto and the in-memory files its external initializers name. */
export interface SerializedModel {
  model: Uint8Array;
  externalData: ExternalFile[];
}

export function serializeModel(graph: GraphIR, options: SerializeOptions = {}): Uint8Array {
  return serializeModelExternal(graph, { ...options, externalFromBytes: undefined }).model;
}

/**
 * The model with its large initializers as external data (options.externalFromBytes): the weights are handed
 * to onnxruntime where they are, not copied into the protobuf (and parsed out of it again).
 */
export function serializeModelExternal(graph: GraphIR, options: SerializeOptions = {}): SerializedModel {
  const externalData: ExternalFile[] = [];
  const g = new ProtoMessage();
  for (const n of graph.nodes) g.message(1, nodeProto(n));
  g.string(2, graph.name);
  for (const [name, t] of graph.initializers) {
    if (options.externalFromBytes === undefined || t.data.byteLength < options.externalFromBytes) {
      g.message(5, tensorProto(name, t));
      continue;
    }
    const path = `initializer-${externalData.length}.bin`;
    externalData.push({ path, data: tensorBytes(t) });
    g.message(5, externalTensorProto(name, t, path));
  }
  for (const i of graph.inputs) g.message(11, valueInfoProto(i));
  for (const o of graph.outputs) g.message(12, valueInfoProto(o));

  const model = new ProtoMessage().int(1, IR_VERSION).string(2, options.producerName ?? "splade-ts").string(3, "0.1.0");
  model.message(7, g);
  model.message(8, new ProtoMessage().string(1, "").int(2, options.opset ?? DEFAULT_OPSET));
  for (const [domain, version] of Object.entries(options.domains ?? {})) {
    model.message(8, new ProtoMessage().string(1, domain).int(2, version));
  }
  return { model: model.finish(), externalData };
}
