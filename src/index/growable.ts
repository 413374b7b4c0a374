/**
 * Append-only typed arrays that double their capacity: the segment builder collects hundreds of millions
 * of postings without a JS object (or array slot) per posting.
 */
type TypedArrayCtor<A> = { new (length: number): A; BYTES_PER_ELEMENT: number };
type NumericArray = Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

export class GrowableArray<A extends NumericArray> {
  private data: A;
  private count = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<A>,
    initialCapacity = 1024,
  ) {
    this.data = new ctor(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.data.length) this.grow(this.count + 1);
    this.data[this.count++] = value;
  }

  pushAll(values: ArrayLike<number>): void {
    if (this.count + values.length > this.data.length) this.grow(this.count + values.length);
    (this.data as NumericArray).set(values, this.count);
    this.count += values.length;
  }

  /** Appends n zeros. */
  extend(n: number): void {
    if (this.count + n > this.data.length) this.grow(this.count + n);
    this.data.fill(0, this.count, this.count + n);
    this.count += n;
  }

  get(i: number): number {
    return this.data[i];
  }

  /** A view of the first `length` elements (shares memory until the next push). */
  view(): A {
    return this.data.subarray(0, this.count) as A;
  }

  /** A right-sized copy. */
  toArray(): A {
    return this.data.slice(0, this.count) as A;
  }

  private grow(minCapacity: number): void {
    let capacity = this.data.length * 2;
    while (capacity < minCapacity) capacity *= 2;
    const next = new this.ctor(capacity);
    (next as NumericArray).set(this.data.subarray(0, this.count));
    this.data = next;
  }
}
