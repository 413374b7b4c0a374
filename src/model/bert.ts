/**
 * BERT for masked LM (transformers modeling_bert.py, `BertForMaskedLM`), module tree = checkpoint key tree:
 *
 *   bert.embeddings               word + token_type[0] + position embeddings → LayerNorm → dropout
 *   bert.encoder.layer.{i}        attention.self (query key value) → attention.output (dense → dropout →
 *                                 LayerNorm(· + x)) → intermediate.dense → act → output (dense → dropout →
 *                                 LayerNorm(· + ·))
 *   cls.predictions.transform     dense → act → LayerNorm; cls.predictions.decoder (tied) + cls.predictions.bias
 *
 * token_type_ids are all zeros (sentence-transformers passes none for a single text). `bert.pooler.*` is not
 * part of the MLM path and is never read. `buildBertEncoder` alone is the bare `BertModel` (a dense
 * Transformer module, e.g. under CSR); its checkpoints store the keys without `bert.` (weights.ts resolves them). Shapes: B batch, T tokens, C hidden, F intermediate, V vocabulary.
 */
import type { V } from "../graph/builder.js";
import type { TransformerConfig } from "./config.js";
import type { ModelContext } from "./context.js";
import { attentionMask, dropout, layerNorm, linearActivation, linearResidualNorm, positionEmbeddings, selfAttention, type AttentionMask } from "./layers.js";
import type { MlmOutputs } from "./outputs.js";

const WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";

function embeddings(ctx: ModelContext, cfg: TransformerConfig, inputIds: V): V {
  const { g } = ctx;
  const words = g.gather(ctx.param(WORD_EMBEDDINGS, [cfg.vocabSize, cfg.hidden]), inputIds, 0); // [B, T, C]
  const tokenType = g.gather(ctx.param("bert.embeddings.token_type_embeddings.weight", [cfg.typeVocabSize, cfg.hidden]), g.constInt64([0], []), 0); // [C]
  const positions = positionEmbeddings(ctx, cfg, "bert.embeddings.position_embeddings.weight", inputIds); // [T, C]
  const sum = g.add(g.add(words, tokenType), positions); // [B, T, C]
  const x = layerNorm(ctx, sum, "bert.embeddings.LayerNorm", cfg.hidden, cfg.layerNormEps); // [B, T, C]
  return dropout(ctx, x, cfg.hiddenDropout, "bert.embeddings.dropout");
}

function layer(ctx: ModelContext, cfg: TransformerConfig, x: V, mask: AttentionMask, prefix: string): V {
  const C = cfg.hidden;
  const eps = cfg.layerNormEps;
  const context = selfAttention(ctx, x, mask, {
    query: `${prefix}.attention.self.query`,
    key: `${prefix}.attention.self.key`,
    value: `${prefix}.attention.self.value`,
    hidden: C,
    heads: cfg.heads,
    dropout: cfg.attentionDropout,
    dropoutSite: `${prefix}.attention.self.dropout`,
  }); // [B, T, C]
  const attended = linearResidualNorm(ctx, context, x, {
    linear: `${prefix}.attention.output.dense`,
    norm: `${prefix}.attention.output.LayerNorm`,
    inFeatures: C,
    outFeatures: C,
    eps,
    dropout: cfg.hiddenDropout,
    dropoutSite: `${prefix}.attention.output.dropout`,
  }); // [B, T, C]
  const intermediate = linearActivation(ctx, attended, `${prefix}.intermediate.dense`, C, cfg.intermediate, cfg.hiddenAct); // [B, T, F]
  return linearResidualNorm(ctx, intermediate, attended, {
    linear: `${prefix}.output.dense`,
    norm: `${prefix}.output.LayerNorm`,
    inFeatures: cfg.intermediate,
    outFeatures: C,
    eps,
    dropout: cfg.hiddenDropout,
    dropoutSite: `${prefix}.output.dropout`,
  }); // [B, T, C]
}

/** The bare encoder (transformers `BertModel` without the pooler): the last hidden state [B, T, C]. */
export function buildBertEncoder(ctx: ModelContext, cfg: TransformerConfig, inputIds: V, mask: V): V {
  const attention = attentionMask(ctx, mask);
  let x = embeddings(ctx, cfg, inputIds); // [B, T, C]
  for (let i = 0; i < cfg.layers; i++) x = layer(ctx, cfg, x, attention, `bert.encoder.layer.${i}`);
  return x;
}

export function buildBertMlm(ctx: ModelContext, cfg: TransformerConfig, inputIds: V, mask: V): MlmOutputs {
  const x = buildBertEncoder(ctx, cfg, inputIds, mask); // [B, T, C]
  const transformed = linearActivation(ctx, x, "cls.predictions.transform.dense", cfg.hidden, cfg.hidden, cfg.hiddenAct); // [B, T, C]
  const features = layerNorm(ctx, transformed, "cls.predictions.transform.LayerNorm", cfg.hidden, cfg.layerNormEps); // [B, T, C]
  return {
    lastHidden: x,
    features,
    decoderKey: cfg.tieWordEmbeddings ? WORD_EMBEDDINGS : "cls.predictions.decoder.weight",
    decoderBias: ctx.param("cls.predictions.bias", [cfg.vocabSize]),
  };
}
