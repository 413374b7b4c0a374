/**
 * A randomly initialised masked-LM folder (Hugging Face layout: config.json, model.safetensors, tokenizer
 * files) to train SPLADE from scratch — e.g. the 1-layer, 32-dim DistilBERT of the SciFact recipe with the
 * bert-base-uncased vocabulary. Initialisation follows transformers `_init_weights` (DistilBERT and BERT):
 * Linear and Embedding weights ~ N(0, initializer_range = 0.02), the padding token's embedding row 0,
 * biases 0, LayerNorm weight 1 and bias 0; the decoder is tied to the word embeddings (not stored, as
 * DistilBertForMaskedLM saves it). Draws come from the seeded Rng in parameter order, so a seed fixes the
 * weights. Only F32 is written.
 *
 * Three options move away from that init, for from-scratch recipes (issue #14's SciFact recipe: word embeddings
 * std 0.3, other weights std 0.1, vocabulary bias −3): `embeddingStd` (word embeddings only, which the MLM head
 * also uses as its tied decoder), `initStd` (every other Linear and Embedding weight; written to config.json as
 * initializer_range) and `vocabBias` (a constant in every entry of the MLM head's output bias, so that at init
 * the logits sit below zero and a SPLADE vector starts sparse instead of lighting up every dimension).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GraphBuilder } from "../graph/builder.js";
import { normalizeConfig, type TransformerConfig } from "../model/config.js";
import type { ModelContext, ParamSource } from "../model/context.js";
import { buildMaskedLm } from "../model/mlm.js";
import { spladePooling } from "../model/splade-pooling.js";
import { writeSafetensors, type TensorToWrite } from "../safetensors/index.js";
import { SpladeError, check } from "../util/errors.js";
import { Rng } from "../util/rng.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";

/** Copies a file's bytes (not its mode: shared sources may be read-only). */
function copyFile(from: string, to: string): void {
  writeFileAtomicSync(to, readFileSync(from));
}

export interface InitModelOptions {
  architecture: "distilbert" | "bert";
  layers: number;
  /** Hidden size C. */
  dim: number;
  heads: number;
  /** Feed-forward size F (default 4·dim, as both architectures' defaults). */
  ffn?: number;
  maxPositions: number;
  /** A vocab.txt (WordPiece, one token per line, line number = id). */
  vocab: string;
  /** A tokenizer.json matching the vocabulary, copied when given. */
  tokenizerJson?: string;
  seed: number;
  /** Std of every Linear and Embedding weight except the word embeddings: transformers initializer_range (0.02). */
  initStd?: number;
  /** Std of the word embeddings (and so of the tied decoder); default `initStd`. */
  embeddingStd?: number;
  /** Value of every entry of the MLM head's output bias (vocab_projector.bias / cls.predictions.bias); default 0. */
  vocabBias?: number;
}

/** The MLM head's output bias over the vocabulary (DistilBERT, BERT). */
const VOCAB_BIAS_KEY = /^(vocab_projector\.bias|cls\.predictions\.bias)$/;
const WORD_EMBEDDINGS_KEY = /word_embeddings\.weight$/;

interface InitStds {
  initStd: number;
  embeddingStd: number;
  vocabBias: number;
}

function initStds(o: InitModelOptions): InitStds {
  const initStd = o.initStd ?? 0.02;
  const stds = { initStd, embeddingStd: o.embeddingStd ?? initStd, vocabBias: o.vocabBias ?? 0 };
  check(Number.isFinite(stds.initStd) && stds.initStd >= 0, `init std must be a finite number ≥ 0, got ${stds.initStd}`);
  check(Number.isFinite(stds.embeddingStd) && stds.embeddingStd >= 0, `embedding std must be a finite number ≥ 0, got ${stds.embeddingStd}`);
  check(Number.isFinite(stds.vocabBias), `vocabulary bias must be a finite number, got ${stds.vocabBias}`);
  return stds;
}

/** config.json content of the requested architecture (transformers' field names and defaults). */
export function initConfigJson(o: InitModelOptions, vocabSize: number): Record<string, unknown> {
  const ffn = o.ffn ?? 4 * o.dim;
  const range = initStds(o).initStd;
  if (o.architecture === "distilbert") {
    return {
      architectures: ["DistilBertForMaskedLM"], model_type: "distilbert", vocab_size: vocabSize, dim: o.dim, hidden_dim: ffn,
      n_layers: o.layers, n_heads: o.heads, max_position_embeddings: o.maxPositions, sinusoidal_pos_embds: false, activation: "gelu",
      dropout: 0.1, attention_dropout: 0.1, pad_token_id: 0, initializer_range: range, qa_dropout: 0.1, seq_classif_dropout: 0.2,
      tie_weights_: true, torch_dtype: "float32",
    };
  }
  return {
    architectures: ["BertForMaskedLM"], model_type: "bert", vocab_size: vocabSize, hidden_size: o.dim, intermediate_size: ffn,
    num_hidden_layers: o.layers, num_attention_heads: o.heads, max_position_embeddings: o.maxPositions, type_vocab_size: 2,
    hidden_act: "gelu", hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, layer_norm_eps: 1e-12, pad_token_id: 0,
    initializer_range: range, position_embedding_type: "absolute", torch_dtype: "float32",
  };
}

/** Parameter keys and shapes the model graph asks for, in the order it asks. */
export function modelParamShapes(config: TransformerConfig): Array<[string, number[]]> {
  const shapes = new Map<string, number[]>();
  const g = new GraphBuilder("probe");
  const param: ParamSource = (key, shape) => {
    if (!shapes.has(key)) shapes.set(key, [...shape]);
    return { name: key };
  };
  const ids = g.input("input_ids", "int64", ["batch", "tokens"]);
  const ctx: ModelContext = { g, param, kernels: "plain" };
  spladePooling(ctx, config, buildMaskedLm(ctx, config, ids, ids), ids, { pooling: "max", activation: "relu" });
  return [...shapes];
}

function initialValue(key: string, shape: number[], config: TransformerConfig, stds: InitStds, rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const isNorm = /(LayerNorm|layer_norm)\.(weight|bias)$/.test(key);
  if (isNorm) return key.endsWith("weight") ? out.fill(1) : out;
  if (VOCAB_BIAS_KEY.test(key)) return out.fill(stds.vocabBias);
  if (key.endsWith("bias")) return out;
  const isWords = WORD_EMBEDDINGS_KEY.test(key);
  const std = isWords ? stds.embeddingStd : stds.initStd;
  for (let i = 0; i < n; i++) out[i] = std * rng.normal();
  if (isWords) out.fill(0, config.padTokenId * shape[1], (config.padTokenId + 1) * shape[1]);
  return out;
}

/** Number of tokens in a vocab.txt (one per line; a final newline does not add one). */
export function vocabFileSize(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new SpladeError("FILE_NOT_FOUND", `${path}: cannot read the vocabulary`, { path, cause });
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.length;
}

/** Writes the folder; returns the normalized config. */
export function initModelFolder(dir: string, o: InitModelOptions): TransformerConfig {
  check(o.dim % o.heads === 0, `dim ${o.dim} must be a multiple of heads ${o.heads}`);
  const vocabSize = vocabFileSize(o.vocab);
  const json = initConfigJson(o, vocabSize);
  const config = normalizeConfig(json, join(dir, "config.json"));
  const rng = new Rng(o.seed);
  const stds = initStds(o);
  const tensors: TensorToWrite[] = modelParamShapes(config).map(([name, shape]) => ({ name, dtype: "F32", shape, data: initialValue(name, shape, config, stds, rng) }));
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, "config.json"), JSON.stringify(json, null, 2) + "\n");
  writeSafetensors(join(dir, "model.safetensors"), tensors, { format: "pt" });
  copyFile(o.vocab, join(dir, "vocab.txt"));
  if (o.tokenizerJson) copyFile(o.tokenizerJson, join(dir, "tokenizer.json"));
  const special = { cls_token: "[CLS]", sep_token: "[SEP]", pad_token: "[PAD]", unk_token: "[UNK]", mask_token: "[MASK]" };
  const tokenizerClass = o.architecture === "distilbert" ? "DistilBertTokenizer" : "BertTokenizer";
  writeFileAtomicSync(join(dir, "tokenizer_config.json"), JSON.stringify({ do_lower_case: true, model_max_length: o.maxPositions, ...special, tokenize_chinese_chars: true, strip_accents: null, tokenizer_class: tokenizerClass }, null, 2) + "\n");
  writeFileAtomicSync(join(dir, "special_tokens_map.json"), JSON.stringify(special, null, 2) + "\n");
  return config;
}
