/**
 * A minimal protobuf wire-format writer: varints, length-delimited fields and nested messages, enough to
 * serialize ONNX ModelProto (see onnx-proto.ts).
 *
 * Why by hand instead of protobufjs: the messages we write are a fixed subset of onnx.proto (eight message
 * types, no parsing), and the payload is dominated by multi-hundred-megabyte weight tensors. This writer keeps
 * those tensors as references (chunks) and copies them exactly once, into the final buffer handed to
 * onnxruntime; protobufjs would need the schema at run time and copy every tensor into its own writer first.
 */

/** A serialized message under construction: a list of byte chunks and their total length. */
export class ProtoMessage {
  readonly chunks: Uint8Array[] = [];
  byteLength = 0;
  private scratch: number[] = [];

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    const bytes = Uint8Array.from(this.scratch);
    this.chunks.push(bytes);
    this.byteLength += bytes.byteLength;
    this.scratch = [];
  }

  private pushBytes(bytes: Uint8Array): void {
    if (bytes.byteLength < 64) {
      for (const b of bytes) this.scratch.push(b);
      return;
    }
    this.flushScratch();
    this.chunks.push(bytes);
    this.byteLength += bytes.byteLength;
  }

  private varint(value: number | bigint): void {
    // Negative int64 values are encoded as 10-byte two's complement varints (protobuf's int64 rule).
    let v = BigInt.asUintN(64, BigInt(value));
    if (typeof value === "number" && value >= 0 && value < 2 ** 31) {
      let n = value;
      while (n >= 0x80) {
        this.scratch.push((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      this.scratch.push(n);
      return;
    }
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.scratch.push(Number(v));
  }

  private tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.pushBytes(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.byteLength);
    this.pushBytes(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Packed repeated int64 (proto3 default for repeated scalars). */
  packedInts(field: number, values: ArrayLike<number | bigint>): this {
    const inner = new ProtoMessage();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]);
    return this.message(field, inner);
  }

  /** Packed repeated float. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const f = Float32Array.from(values as ArrayLike<number>);
    return this.bytes(field, new Uint8Array(f.buffer));
  }

  message(field: number, inner: ProtoMessage): this {
    inner.flushScratch();
    this.tag(field, 2);
    this.varint(inner.byteLength);
    this.flushScratch();
    for (const c of inner.chunks) this.chunks.push(c);
    this.byteLength += inner.byteLength;
    return this;
  }

  /** The whole message as one contiguous buffer (the single copy of every chunk). */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.byteLength);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.byteLength;
    }
    return out;
  }
}
