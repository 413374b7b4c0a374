/**
 * What every masked-LM architecture's graph returns. The decoder (vocabulary projection) is left unapplied:
 * SPLADE pooling reduces over tokens before adding the bias, and [B, T, V] logits are only formed where
 * something needs them. Shapes: B batch, T tokens, C hidden, V vocabulary.
 */
import type { V } from "../graph/builder.js";

export interface MlmOutputs {
  /** The encoder's last hidden state [B, T, C] (transformers `last_hidden_state`). */
  lastHidden: V;
  /** The MLM head's transform output [B, T, C]: dense → activation → LayerNorm, before the decoder. */
  features: V;
  /** Checkpoint key of the decoder weight [V, C] (the word embeddings when tied). */
  decoderKey: string;
  /** The decoder bias [V]. */
  decoderBias: V;
}
