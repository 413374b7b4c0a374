/**
 * An MLMTransformer module folder from trained weights: the part of a SparseEncoder folder that holds the
 * masked LM (model-folder.ts writes the rest of a plain SparseEncoder; router-folder.ts of a Router):
 *   config.json                 the source model's, unchanged
 *   model.safetensors           F32, every tensor of the source checkpoint: trained values where trained, tied
 *                               copies (decoder = word embeddings) kept consistent, untrained extras
 *                               (bert.pooler.*) copied; metadata {"format": "pt"}
 *   tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt   copied when present
 *   sentence_bert_config.json   max_seq_length used in training, do_lower_case false
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TensorToWrite } from "../../safetensors/index.js";
import { writeSafetensors } from "../../safetensors/index.js";
import { SpladeError } from "../../util/errors.js";
import type { TrainingModelSource } from "../model-source.js";
import { writeFileAtomicSync } from "../../util/atomic-write.js";

/** Copies a file's bytes (not its mode: shared sources may be read-only). */
export function copyFile(from: string, to: string): void {
  writeFileAtomicSync(to, readFileSync(from));
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

export function json(value: unknown): string {
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

/** config.json, model.safetensors, tokenizer files and sentence_bert_config.json of the MLM (an MLMTransformer folder). */
export function writeMlmModule(dir: string, source: TrainingModelSource, params: ReadonlyMap<string, Float32Array>): void {
  mkdirSync(dir, { recursive: true });
  copyFile(join(source.dir, "config.json"), join(dir, "config.json"));
  writeSafetensors(join(dir, "model.safetensors"), modelTensors(source, params), { format: "pt" });
  for (const f of TOKENIZER_FILES) if (existsSync(join(source.dir, f))) copyFile(join(source.dir, f), join(dir, f));
  // As MLMTransformer.save_config writes it (json.dump, indent 4).
  writeFileAtomicSync(join(dir, "sentence_bert_config.json"), JSON.stringify({ max_seq_length: source.maxSeqLength, do_lower_case: false }, null, 4));
}

