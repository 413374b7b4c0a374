/**
 * DistilBERT for masked LM (transformers modeling_distilbert.py, `DistilBertForMaskedLM`), written so the
 * module tree reads as the checkpoint's key tree:
 *
 *   distilbert.embeddings            word + position embeddings → LayerNorm → dropout
 *   distilbert.transformer.layer.{i} attention (q_lin k_lin v_lin out_lin) → sa_layer_norm(· + x)
 *                                    ffn (lin1 → activation → lin2 → dropout) → output_layer_norm(· + ·)
 *   vocab_transform → activation → vocab_layer_norm → vocab_projector (tied to the word embeddings)
 *
 * Every LayerNorm uses eps = 1e-12 (hard-coded upstream). Shapes: B batch, T tokens, C = dim, F = hidden_dim,
 * V vocabulary.
 */
import type { V } from "../graph/builder.js";
import type { TransformerConfig } from "./config.js";
import type { ModelContext } from "./context.js";
import { attentionMask, dropout, layerNorm, linearActivation, linearResidualNorm, positionEmbeddings, selfAttention, type AttentionMask } from "./layers.js";
import type { MlmOutputs } from "./outputs.js";

const WORD_EMBEDDINGS = "distilbert.embeddings.word_embeddings.weight";

function embeddings(ctx: ModelContext, cfg: TransformerConfig, inputIds: V): V {
  const { g } = ctx;
  const words = g.gather(ctx.param(WORD_EMBEDDINGS, [cfg.vocabSize, cfg.hidden]), inputIds, 0); // [B, T, C]
  const positions = positionEmbeddings(ctx, cfg, "distilbert.embeddings.position_embeddings.weight", inputIds); // [T, C]
  const x = layerNorm(ctx, g.add(words, positions), "distilbert.embeddings.LayerNorm", cfg.hidden, cfg.layerNormEps); // [B, T, C]
  return dropout(ctx, x, cfg.hiddenDropout, "distilbert.embeddings.dropout");
}

function transformerBlock(ctx: ModelContext, cfg: TransformerConfig, x: V, mask: AttentionMask, prefix: string): V {
  const C = cfg.hidden;
  const eps = cfg.layerNormEps;
  const context = selfAttention(ctx, x, mask, {
    query: `${prefix}.attention.q_lin`,
    key: `${prefix}.attention.k_lin`,
    value: `${prefix}.attention.v_lin`,
    hidden: C,
    heads: cfg.heads,
    dropout: cfg.attentionDropout,
    dropoutSite: `${prefix}.attention.dropout`,
  }); // [B, T, C]
  // out_lin has no dropout of its own in DistilBERT.
  const sa = linearResidualNorm(ctx, context, x, {
    linear: `${prefix}.attention.out_lin`,
    norm: `${prefix}.sa_layer_norm`,
    inFeatures: C,
    outFeatures: C,
    eps,
    dropout: 0,
    dropoutSite: `${prefix}.attention.out_lin`,
  }); // [B, T, C]
  const hidden = linearActivation(ctx, sa, `${prefix}.ffn.lin1`, C, cfg.intermediate, cfg.hiddenAct); // [B, T, F]
  return linearResidualNorm(ctx, hidden, sa, {
    linear: `${prefix}.ffn.lin2`,
    norm: `${prefix}.output_layer_norm`,
    inFeatures: cfg.intermediate,
    outFeatures: C,
    eps,
    dropout: cfg.hiddenDropout,
    dropoutSite: `${prefix}.ffn.dropout`,
  }); // [B, T, C]
}

/** The bare encoder (transformers `DistilBertModel`): the last hidden state [B, T, C]. */
export function buildDistilBertEncoder(ctx: ModelContext, cfg: TransformerConfig, inputIds: V, mask: V): V {
  const attention = attentionMask(ctx, mask);
  let x = embeddings(ctx, cfg, inputIds); // [B, T, C]
  for (let i = 0; i < cfg.layers; i++) x = transformerBlock(ctx, cfg, x, attention, `distilbert.transformer.layer.${i}`);
  return x;
}

export function buildDistilBertMlm(ctx: ModelContext, cfg: TransformerConfig, inputIds: V, mask: V): MlmOutputs {
  const x = buildDistilBertEncoder(ctx, cfg, inputIds, mask); // [B, T, C]
  const transformed = linearActivation(ctx, x, "vocab_transform", cfg.hidden, cfg.hidden, cfg.hiddenAct); // [B, T, C]
  const features = layerNorm(ctx, transformed, "vocab_layer_norm", cfg.hidden, cfg.layerNormEps); // [B, T, C]
  return {
    lastHidden: x,
    features,
    decoderKey: cfg.tieWordEmbeddings ? WORD_EMBEDDINGS : "vocab_projector.weight",
    decoderBias: ctx.param("vocab_projector.bias", [cfg.vocabSize]),
  };
}
