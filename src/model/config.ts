/**
 * Hugging Face `config.json` for the two masked-LM encoders SPLADE checkpoints use (DistilBERT and BERT),
 * typed with the file's own field names, and a normalized `TransformerConfig` the graph code reads.
 *
 * Defaults are upstream's (transformers `DistilBertConfig` / `BertConfig` constructors), applied here and
 * nowhere else. Anything we cannot reproduce exactly (another model_type, relative position embeddings, an
 * unknown activation) is UNSUPPORTED, naming config.json, rather than silently approximated.
 */
import { SpladeError } from "../util/errors.js";
import { readJsonFile } from "../util/text-file.js";

/** transformers `DistilBertConfig` fields (configuration_distilbert.py). */
export interface DistilBertConfigJson {
  model_type: "distilbert";
  architectures?: string[];
  vocab_size?: number;
  max_position_embeddings?: number;
  sinusoidal_pos_embds?: boolean;
  n_layers?: number;
  n_heads?: number;
  dim?: number;
  hidden_dim?: number;
  dropout?: number;
  attention_dropout?: number;
  activation?: string;
  pad_token_id?: number;
  tie_word_embeddings?: boolean;
}

/** transformers `BertConfig` fields (configuration_bert.py). */
export interface BertConfigJson {
  model_type: "bert";
  architectures?: string[];
  vocab_size?: number;
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  intermediate_size?: number;
  hidden_act?: string;
  hidden_dropout_prob?: number;
  attention_probs_dropout_prob?: number;
  max_position_embeddings?: number;
  type_vocab_size?: number;
  layer_norm_eps?: number;
  pad_token_id?: number;
  position_embedding_type?: string;
  tie_word_embeddings?: boolean;
}

export type ConfigJson = DistilBertConfigJson | BertConfigJson;

/** Activations we build exactly: `gelu` is the erf form (transformers ACT2FN["gelu"] = GELUActivation). */
export type HiddenAct = "gelu" | "gelu_new" | "relu";
const HIDDEN_ACTS: readonly string[] = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"];

export interface TransformerConfig {
  kind: "distilbert" | "bert";
  vocabSize: number;
  /** C */
  hidden: number;
  layers: number;
  /** H */
  heads: number;
  intermediate: number;
  maxPositions: number;
  /** 0 for DistilBERT (no token types). */
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
  hiddenDropout: number;
  attentionDropout: number;
  /** The MLM decoder shares the word-embedding matrix (PretrainedConfig default: true). */
  tieWordEmbeddings: boolean;
  padTokenId: number;
}

function unsupported(path: string, what: string): never {
  throw new SpladeError("UNSUPPORTED", `${path}: ${what}`, { path });
}

function activation(path: string, field: string, value: string): HiddenAct {
  if (!HIDDEN_ACTS.includes(value)) {
    unsupported(path, `${field} "${value}" is not supported (supported: ${HIDDEN_ACTS.join(", ")})`);
  }
  // transformers: gelu_pytorch_tanh and gelu_new are the same tanh approximation.
  return value === "gelu_pytorch_tanh" ? "gelu_new" : (value as HiddenAct);
}

function positiveInt(path: string, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new SpladeError("INVALID_FILE", `${path}: field "${field}" must be a positive integer, got ${JSON.stringify(value)}`, { path });
  }
  return value;
}

function fromDistilBert(c: DistilBertConfigJson, path: string): TransformerConfig {
  const cfg: TransformerConfig = {
    kind: "distilbert",
    vocabSize: positiveInt(path, "vocab_size", c.vocab_size ?? 30522),
    hidden: positiveInt(path, "dim", c.dim ?? 768),
    layers: positiveInt(path, "n_layers", c.n_layers ?? 6),
    heads: positiveInt(path, "n_heads", c.n_heads ?? 12),
    intermediate: positiveInt(path, "hidden_dim", c.hidden_dim ?? 3072),
    maxPositions: positiveInt(path, "max_position_embeddings", c.max_position_embeddings ?? 512),
    typeVocabSize: 0,
    layerNormEps: 1e-12, // modeling_distilbert.py hard-codes eps=1e-12 for every LayerNorm
    hiddenAct: activation(path, "activation", c.activation ?? "gelu"),
    hiddenDropout: c.dropout ?? 0.1,
    attentionDropout: c.attention_dropout ?? 0.1,
    tieWordEmbeddings: c.tie_word_embeddings ?? true,
    padTokenId: c.pad_token_id ?? 0,
  };
  return checkHeads(cfg, path, "dim", "n_heads");
}

function fromBert(c: BertConfigJson, path: string): TransformerConfig {
  const positions = c.position_embedding_type ?? "absolute";
  if (positions !== "absolute") unsupported(path, `position_embedding_type "${positions}" is not supported (only "absolute")`);
  const cfg: TransformerConfig = {
    kind: "bert",
    vocabSize: positiveInt(path, "vocab_size", c.vocab_size ?? 30522),
    hidden: positiveInt(path, "hidden_size", c.hidden_size ?? 768),
    layers: positiveInt(path, "num_hidden_layers", c.num_hidden_layers ?? 12),
    heads: positiveInt(path, "num_attention_heads", c.num_attention_heads ?? 12),
    intermediate: positiveInt(path, "intermediate_size", c.intermediate_size ?? 3072),
    maxPositions: positiveInt(path, "max_position_embeddings", c.max_position_embeddings ?? 512),
    typeVocabSize: positiveInt(path, "type_vocab_size", c.type_vocab_size ?? 2),
    layerNormEps: c.layer_norm_eps ?? 1e-12,
    hiddenAct: activation(path, "hidden_act", c.hidden_act ?? "gelu"),
    hiddenDropout: c.hidden_dropout_prob ?? 0.1,
    attentionDropout: c.attention_probs_dropout_prob ?? 0.1,
    tieWordEmbeddings: c.tie_word_embeddings ?? true,
    padTokenId: c.pad_token_id ?? 0,
  };
  return checkHeads(cfg, path, "hidden_size", "num_attention_heads");
}

function checkHeads(cfg: TransformerConfig, path: string, hiddenField: string, headsField: string): TransformerConfig {
  if (cfg.hidden % cfg.heads !== 0) {
    throw new SpladeError("INVALID_FILE", `${path}: ${hiddenField} (${cfg.hidden}) is not a multiple of ${headsField} (${cfg.heads})`, { path });
  }
  return cfg;
}

/** Normalizes a parsed config.json; `path` is used in error messages only. */
export function normalizeConfig(json: unknown, path = "config.json"): TransformerConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SpladeError("INVALID_FILE", `${path}: expected a JSON object`, { path });
  }
  const modelType = (json as { model_type?: unknown }).model_type;
  if (modelType === "distilbert") return fromDistilBert(json as DistilBertConfigJson, path);
  if (modelType === "bert") return fromBert(json as BertConfigJson, path);
  const arch = (json as { architectures?: unknown }).architectures;
  const archText = Array.isArray(arch) && arch.length > 0 ? ` (architectures: ${arch.join(", ")})` : "";
  return unsupported(path, `model_type ${JSON.stringify(modelType ?? null)}${archText} is not supported; splade-ts builds "distilbert" and "bert" masked-LM encoders`);
}

/** Reads and normalizes `config.json` at `path`. */
export function readTransformerConfig(path: string): TransformerConfig {
  return normalizeConfig(readJsonFile(path, "a Hugging Face model folder needs its config.json"), path);
}
