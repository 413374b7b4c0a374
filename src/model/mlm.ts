/**
 * The masked-LM encoder as a whole: dispatches on the architecture (outputs.ts says what each returns) and
 * applies the decoder when full logits are wanted.
 *
 * Shapes: B batch, T tokens, C hidden, V vocabulary.
 */
import type { V } from "../graph/builder.js";
import type { TransformerConfig } from "./config.js";
import type { ModelContext } from "./context.js";
import { matmulT } from "./layers.js";
import type { MlmOutputs } from "./outputs.js";
import { buildDistilBertEncoder, buildDistilBertMlm } from "./distilbert.js";
import { buildBertEncoder, buildBertMlm } from "./bert.js";

/** The masked-LM encoder of `cfg.kind`: input_ids and attention_mask are int64 [B, T]. */
export function buildMaskedLm(ctx: ModelContext, cfg: TransformerConfig, inputIds: V, attentionMask: V): MlmOutputs {
  return cfg.kind === "distilbert" ? buildDistilBertMlm(ctx, cfg, inputIds, attentionMask) : buildBertMlm(ctx, cfg, inputIds, attentionMask);
}

/** The bare encoder of `cfg.kind` (no MLM head): the last hidden state [B, T, C]. */
export function buildEncoder(ctx: ModelContext, cfg: TransformerConfig, inputIds: V, attentionMask: V): V {
  return cfg.kind === "distilbert" ? buildDistilBertEncoder(ctx, cfg, inputIds, attentionMask) : buildBertEncoder(ctx, cfg, inputIds, attentionMask);
}

/** features · decoderᵀ + bias: the MLM logits [B, T, V]. */
export function mlmLogits(ctx: ModelContext, cfg: TransformerConfig, out: MlmOutputs): V {
  return ctx.g.add(matmulT(ctx, out.features, [out.decoderKey], cfg.hidden, [cfg.vocabSize]), out.decoderBias); // [B, T, V]
}

export type { MlmOutputs } from "./outputs.js";
