/**
 * An inference-free SPLADE model to train from: the Router layout `Router.for_query_document` saves
 * (test/fixtures/tiny-inference-free-splade shows it), with
 *   query_0_SparseStaticEmbedding/   the query weights (IDF on a corpus, idf.ts), {"frozen": false|true}, and
 *                                    the tokenizer files (the document tokenizer's: one vocabulary)
 *   document_0_MLMTransformer/       a randomly initialised masked LM (init-model.ts, every init option) with its
 *                                    sentence_bert_config.json (max_seq_length = min(positions, tokenizer max))
 *   document_1_SpladePooling/        max pooling, relu (SpladePooling("max")'s defaults, as upstream's
 *                                    inference-free training example builds it)
 *   modules.json, router_config.json (default_route "document", allow_empty_key true),
 *   config_sentence_transformers.json (prompts "" for query and document, dot similarity)
 * Class paths are sentence-transformers v5.0's, which every later release still loads.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeSafetensors } from "../safetensors/index.js";
import { SpladeError } from "../util/errors.js";
import { initModelFolder, type InitModelOptions } from "./init-model.js";
import type { TransformerConfig } from "../model/config.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";

export const INFERENCE_FREE_MODULES = {
  query: "query_0_SparseStaticEmbedding",
  mlm: "document_0_MLMTransformer",
  pooling: "document_1_SpladePooling",
};

const CLASS_PATHS = {
  router: "sentence_transformers.models.Router",
  static: "sentence_transformers.sparse_encoder.models.SparseStaticEmbedding.SparseStaticEmbedding",
  mlm: "sentence_transformers.sparse_encoder.models.MLMTransformer.MLMTransformer",
  pooling: "sentence_transformers.sparse_encoder.models.SpladePooling.SpladePooling",
};

const MLM_TOKENIZER_FILES = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

export interface InferenceFreeInitOptions {
  /** The document MLM (every init-model option applies). */
  model: InitModelOptions;
  /** The query weights [V] (e.g. DocumentFrequencies.idf()). */
  queryWeight: Float32Array;
  /** SparseStaticEmbedding `frozen` (default false: the query weights train, at their own learning rate). */
  frozen?: boolean;
}

/** As sentence-transformers writes them: json.dump, indent 4 for module configs and 2 for modules.json, no final newline. */
function json(value: unknown, indent: number): string {
  return JSON.stringify(value, null, indent);
}

/** Writes the folder; returns the document MLM's config. */
export function initInferenceFreeFolder(dir: string, o: InferenceFreeInitOptions): TransformerConfig {
  const mlmDir = join(dir, INFERENCE_FREE_MODULES.mlm);
  const config = initModelFolder(mlmDir, o.model);
  if (o.queryWeight.length !== config.vocabSize) {
    throw new SpladeError("INVALID_ARGUMENT", `the query weights have ${o.queryWeight.length} entries, the vocabulary ${config.vocabSize}`);
  }
  const tokenizerConfig = JSON.parse(readFileSync(join(mlmDir, "tokenizer_config.json"), "utf8")) as { model_max_length?: number };
  const maxSeqLength = Math.min(config.maxPositions, tokenizerConfig.model_max_length ?? config.maxPositions);
  writeFileAtomicSync(join(mlmDir, "sentence_bert_config.json"), json({ max_seq_length: maxSeqLength, do_lower_case: false }, 4));

  const queryDir = join(dir, INFERENCE_FREE_MODULES.query);
  mkdirSync(queryDir, { recursive: true });
  for (const f of MLM_TOKENIZER_FILES) {
    try {
      writeFileAtomicSync(join(queryDir, f), readFileSync(join(mlmDir, f)));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "ENOENT") throw cause; // tokenizer.json is optional
    }
  }
  writeFileAtomicSync(join(queryDir, "config.json"), json({ frozen: o.frozen ?? false }, 4));
  writeSafetensors(join(queryDir, "model.safetensors"), [{ name: "weight", dtype: "F32", shape: [config.vocabSize], data: o.queryWeight }], { format: "pt" });

  const poolingDir = join(dir, INFERENCE_FREE_MODULES.pooling);
  mkdirSync(poolingDir, { recursive: true });
  writeFileAtomicSync(join(poolingDir, "config.json"), json({ pooling_strategy: "max", activation_function: "relu", word_embedding_dimension: config.vocabSize }, 4));

  const { query, mlm, pooling } = INFERENCE_FREE_MODULES;
  writeFileAtomicSync(
    join(dir, "router_config.json"),
    json({ types: { [query]: CLASS_PATHS.static, [mlm]: CLASS_PATHS.mlm, [pooling]: CLASS_PATHS.pooling }, structure: { query: [query], document: [mlm, pooling] }, parameters: { default_route: "document", allow_empty_key: true } }, 4),
  );
  writeFileAtomicSync(join(dir, "modules.json"), json([{ idx: 0, name: "0", path: "", type: CLASS_PATHS.router }], 2));
  writeFileAtomicSync(
    join(dir, "config_sentence_transformers.json"),
    json({ model_type: "SparseEncoder", __version__: { splade_ts: "0.1.0" }, prompts: { query: "", document: "" }, default_prompt_name: null, similarity_fn_name: "dot" }, 2),
  );
  return config;
}
