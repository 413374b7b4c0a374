/**
 * SparseVector: the currency between the encoder (neural half) and the index / evaluation (retrieval half).
 * Invariant: `indices` strictly ascending, `values.length === indices.length`, no explicit zeros required
 * (producers drop them). Dimension is the vocabulary size (30,522 for BERT) and is not stored.
 */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}
