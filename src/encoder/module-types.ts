/**
 * The sentence-transformers module classes splade-ts runs, recognised by class name. modules.json and
 * router_config.json store a class path that moved between releases — v5:
 * `sentence_transformers.sparse_encoder.models.SpladePooling.SpladePooling`, `sentence_transformers.models.Router`;
 * v5.4+/v6: `sentence_transformers.sparse_encoder.modules.…`, `sentence_transformers.base.modules.router.Router`
 * — so any `sentence_transformers.` path is accepted and the last segment decides. Also: which files each
 * class keeps in its folder, so a Hub download fetches exactly what loading will read.
 */
import { SpladeError } from "../util/errors.js";

export const MODULE_CLASSES = [
  "Router",
  "MLMTransformer",
  "SpladePooling",
  "SparseStaticEmbedding",
  "Transformer",
  "Pooling",
  "SparseAutoEncoder",
  "Normalize",
] as const;

export type ModuleClass = (typeof MODULE_CLASSES)[number];

/** The class of a module type string, or an UNSUPPORTED error naming `file` (where the type was written). */
export function moduleClass(type: unknown, file: string): ModuleClass {
  const name = typeof type === "string" && type.startsWith("sentence_transformers.") ? type.slice(type.lastIndexOf(".") + 1) : undefined;
  if (name !== undefined && (MODULE_CLASSES as readonly string[]).includes(name)) return name as ModuleClass;
  throw new SpladeError("UNSUPPORTED", `${file}: module type ${JSON.stringify(type)} is not supported (splade-ts runs ${MODULE_CLASSES.join(", ")})`, { path: file });
}

export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"] as const;

/** Files a module of `cls` may read from its folder, besides its weights (each optional when fetching). */
export function moduleFiles(cls: ModuleClass): string[] {
  switch (cls) {
    case "MLMTransformer":
    case "Transformer":
      return ["config.json", "sentence_bert_config.json", ...TOKENIZER_FILES];
    case "SparseStaticEmbedding":
      return ["config.json", ...TOKENIZER_FILES];
    case "SpladePooling":
    case "Pooling":
    case "SparseAutoEncoder":
    case "Normalize":
      return ["config.json"];
    case "Router":
      return ["router_config.json"];
  }
}

/** Whether a module of `cls` has weights in its folder. */
export function hasWeights(cls: ModuleClass): boolean {
  return cls === "MLMTransformer" || cls === "Transformer" || cls === "SparseStaticEmbedding" || cls === "SparseAutoEncoder";
}
