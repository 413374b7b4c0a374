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
 * The first four entries are the MLM module (mlm-module.ts). A Router model is written in its own layout by
 * router-folder.ts.
 * Files are staged in `dir` by the caller (see atomic-dir.ts), never written piecemeal into a live folder.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TrainingModelSource } from "../model-source.js";
import { copyFile, json, writeMlmModule } from "./mlm-module.js";
import { writeRouterFolder } from "./router-folder.js";
import { writeFileAtomicSync } from "../../util/atomic-write.js";

export interface ModelFolderOptions {
  source: TrainingModelSource;
  params: ReadonlyMap<string, Float32Array>;
}

export function writeModelFolder(dir: string, o: ModelFolderOptions): void {
  const { source } = o;
  if (source.router) {
    writeRouterFolder(dir, { source, router: source.router, params: o.params });
    return;
  }
  writeMlmModule(dir, source, o.params);
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
  writeFileAtomicSync(
    join(dir, "modules.json"),
    json([
      { idx: 0, name: "0", path: "", type: "sentence_transformers.sparse_encoder.models.MLMTransformer" },
      { idx: 1, name: "1", path: "1_SpladePooling", type: "sentence_transformers.sparse_encoder.models.SpladePooling" },
    ]),
  );
  writeFileAtomicSync(
    join(dir, "config_sentence_transformers.json"),
    json({ model_type: "SparseEncoder", __version__: { splade_ts: "0.1.0" }, prompts: { query: "", document: "" }, default_prompt_name: null, similarity_fn_name: "dot" }),
  );
  mkdirSync(join(dir, "1_SpladePooling"), { recursive: true });
  writeFileAtomicSync(
    join(dir, "1_SpladePooling", "config.json"),
    json({ pooling_strategy: source.pooling.pooling, activation_function: source.pooling.activation, word_embedding_dimension: source.config.vocabSize }),
  );
}
