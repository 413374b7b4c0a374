/**
 * Writes trained weights as a sentence-transformers SparseEncoder folder — the layout the fixtures and the
 * seed checkpoint have, loadable by this project (SparseEncoder.fromPretrained) and by sentence-transformers:
 *   config.json                          the source model's, unchanged
 *   model.safetensors                    F32, every tensor of the source checkpoint: trained values where
 *                                        trained, tied copies (decoder = word embeddings) kept consistent,
 *                                        untrained extras (bert.pooler.*) copied; metadata {"format": "pt"}
 *   tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt   copied when present
 *   modules.json, config_sentence_transformers.json, 1_SpladePooling/config.json copied, or written with
 *                                        upstream's defaults for a plain *ForMaskedLM source
 *   sentence_bert_config.json            max_seq_length used in training, do_lower_case false
 * Files are staged in `dir` by the caller (see atomic-dir.ts), never written piecemeal into a live folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TensorToWrite } from "../../safetensors/index.js";
import { writeSafetensors } from "../../safetensors/index.js";
import { SpladeError } from "../../util/errors.js";
import type { TrainingModelSource } from "../model-source.js";

/** Copies a file's bytes (not its mode: shared sources may be read-only). */
function copyFile(from: string, to: string): void {
  writeFileSync(to, readFileSync(from));
}

export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"];

/** Stored keys that alias a trained tensor (tied decoder weight and bias). */
function aliasOf(key: string, source: TrainingModelSource): string | undefined {
  const tied = source.config.tieWordEmbeddings;
  const word = source.config.kind === "distilbert" ? "distilbert.embeddings.word_embeddings.weight" : "bert.embeddings.word_embeddings.weight";
  if (tied && (key === "vocab_projector.weight" || key === "cls.predictions.decoder.weight")) return word;
  if (key === "cls.predictions.decoder.bias") return "cls.predictions.bias";
  return undefined;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

export function modelTensors(source: TrainingModelSource, params: ReadonlyMap<string, Float32Array>): TensorToWrite[] {
  const tensors: TensorToWrite[] = [];
  const file = source.weights.file;
  const written = new Set<string>();
  for (const stored of file.names()) {
    const info = file.info(stored);
    // The trained key for a stored name: itself, its base-prefixed form, or the tensor it aliases.
    const candidates = [stored, `distilbert.${stored}`, `bert.${stored}`];
    const trained = candidates.find((k) => params.has(k)) ?? aliasOf(stored, source);
    const data = trained !== undefined && params.has(trained) ? params.get(trained)! : file.float32(stored);
    tensors.push({ name: stored, dtype: "F32", shape: info.shape, data });
    written.add(trained ?? stored);
  }
  const missing = [...params.keys()].filter((k) => !written.has(k));
  if (missing.length > 0) {
    throw new SpladeError("INVALID_FILE", `${file.path}: has no tensor for the trained parameter(s) ${missing.join(", ")}`, { path: file.path });
  }
  return tensors;
}

export interface ModelFolderOptions {
  source: TrainingModelSource;
  params: ReadonlyMap<string, Float32Array>;
}

export function writeModelFolder(dir: string, o: ModelFolderOptions): void {
  const { source } = o;
  mkdirSync(dir, { recursive: true });
  copyFile(join(source.dir, "config.json"), join(dir, "config.json"));
  writeSafetensors(join(dir, "model.safetensors"), modelTensors(source, o.params), { format: "pt" });
  for (const f of TOKENIZER_FILES) if (existsSync(join(source.dir, f))) copyFile(join(source.dir, f), join(dir, f));
  writeFileSync(join(dir, "sentence_bert_config.json"), json({ max_seq_length: source.maxSeqLength, do_lower_case: false }));
  if (source.isSparseEncoder) {
    for (const f of ["modules.json", "config_sentence_transformers.json"]) {
      if (existsSync(join(source.dir, f))) copyFile(join(source.dir, f), join(dir, f));
    }
    const modules = JSON.parse(readFileSync(join(source.dir, "modules.json"), "utf8")) as Array<{ path: string }>;
    for (const m of modules) {
      if (!m.path) continue;
      mkdirSync(join(dir, m.path), { recursive: true });
      copyFile(join(source.dir, m.path, "config.json"), join(dir, m.path, "config.json"));
    }
    return;
  }
  writeFileSync(
    join(dir, "modules.json"),
    json([
      { idx: 0, name: "0", path: "", type: "sentence_transformers.sparse_encoder.models.MLMTransformer" },
      { idx: 1, name: "1", path: "1_SpladePooling", type: "sentence_transformers.sparse_encoder.models.SpladePooling" },
    ]),
  );
  writeFileSync(
    join(dir, "config_sentence_transformers.json"),
    json({ model_type: "SparseEncoder", __version__: { splade_ts: "0.1.0" }, prompts: { query: "", document: "" }, default_prompt_name: null, similarity_fn_name: "dot" }),
  );
  mkdirSync(join(dir, "1_SpladePooling"), { recursive: true });
  writeFileSync(
    join(dir, "1_SpladePooling", "config.json"),
    json({ pooling_strategy: source.pooling.pooling, activation_function: source.pooling.activation, word_embedding_dimension: source.config.vocabSize }),
  );
}
