/**
 * From a local model folder to its ModelPipeline (pipeline.ts): the module layout (module-layout.ts), every
 * module loaded once (load-module.ts; a module shared by routes is the same object in each), each route
 * checked against the shapes splade-ts runs, and the sentence-transformers settings (prompts,
 * default_prompt_name, similarity_fn_name) from config_sentence_transformers.json.
 */
import { join } from "node:path";
import { poolingModes } from "../model/pooling.js";
import { SpladeError } from "../util/errors.js";
import { invalid, readOptionalObject } from "./json-config.js";
import { readModuleLayout, type ModuleEntry } from "./module-layout.js";
import { loadModule } from "./load-module.js";
import type { ModelPipeline, PipelineModule, Route, RouteKind, SimilarityName } from "./pipeline.js";
import type { PromptConfig } from "./prompts.js";

function sentenceTransformersConfig(dir: string): PromptConfig & { similarityFnName: SimilarityName } {
  const path = join(dir, "config_sentence_transformers.json");
  const json = readOptionalObject(path);
  const prompts = json.prompts ?? {};
  if (typeof prompts !== "object" || prompts === null || Array.isArray(prompts) || Object.values(prompts).some((p) => typeof p !== "string")) {
    invalid(path, "prompts must map names to strings");
  }
  const defaultPromptName = json.default_prompt_name ?? null;
  if (defaultPromptName !== null && (typeof defaultPromptName !== "string" || !(defaultPromptName in prompts))) {
    invalid(path, `default_prompt_name ${JSON.stringify(defaultPromptName)} is not one of the prompts`);
  }
  // SparseEncoder.similarity_fn_name: "dot" when unset.
  const similarity = json.similarity_fn_name ?? "dot";
  if (similarity !== "dot" && similarity !== "cosine") {
    throw new SpladeError("UNSUPPORTED", `${path}: similarity_fn_name ${JSON.stringify(similarity)} is not supported (dot, cosine)`, { path });
  }
  return { prompts: prompts as Record<string, string>, defaultPromptName: defaultPromptName as string | null, similarityFnName: similarity };
}

function unsupportedRoute(file: string, name: string, modules: readonly PipelineModule[]): never {
  const sequence = modules.map((m) => m.type).join(" → ");
  throw new SpladeError(
    "UNSUPPORTED",
    `${file}: route ${JSON.stringify(name)} is ${sequence}; splade-ts runs MLMTransformer → SpladePooling [→ Normalize], SparseStaticEmbedding, or Transformer → Pooling [→ Normalize] → SparseAutoEncoder [→ Normalize]`,
    { path: file },
  );
}

/** The route's kind and vector dimension, or UNSUPPORTED naming `file`. */
function classify(file: string, name: string, modules: readonly PipelineModule[]): { kind: RouteKind; dims: number } {
  const types = modules.map((m) => m.type).join(",");
  const [first, second] = modules;
  if (types === "SparseStaticEmbedding" && first.type === "SparseStaticEmbedding") return { kind: "static", dims: first.weight.length };
  if (/^MLMTransformer,SpladePooling(,Normalize)?$/.test(types) && first.type === "MLMTransformer" && second.type === "SpladePooling") {
    const declared = second.wordEmbeddingDimension;
    if (declared !== null && declared !== first.config.vocabSize) {
      invalid(join(second.dir, "config.json"), `word_embedding_dimension ${declared} differs from the vocabulary size ${first.config.vocabSize} of ${join(first.dir, "config.json")}`);
    }
    return { kind: "splade", dims: first.config.vocabSize };
  }
  if (/^Transformer,Pooling(,Normalize)?,SparseAutoEncoder(,Normalize)?$/.test(types) && first.type === "Transformer" && second.type === "Pooling") {
    const sae = modules.find((m) => m.type === "SparseAutoEncoder")!;
    if (sae.type !== "SparseAutoEncoder") throw new Error("unreachable");
    const pooledDims = second.wordEmbeddingDimension * poolingModes(second.options).length;
    if (second.wordEmbeddingDimension !== first.config.hidden) {
      invalid(join(second.dir, "config.json"), `word_embedding_dimension ${second.wordEmbeddingDimension} differs from the hidden size ${first.config.hidden} of ${join(first.dir, "config.json")}`);
    }
    if (pooledDims !== sae.inputDim) invalid(join(sae.dir, "config.json"), `input_dim ${sae.inputDim} differs from the pooled dimension ${pooledDims}`);
    return { kind: "csr", dims: sae.hiddenDim };
  }
  return unsupportedRoute(file, name, modules);
}

/** Loads the model folder `dir` (already local: see load.ts for Hub ids). */
export async function loadPipeline(dir: string): Promise<ModelPipeline> {
  const layout = readModuleLayout(dir);
  const loaded = new Map<string, Promise<PipelineModule>>();
  const load = (entry: ModuleEntry) => {
    const key = `${entry.cls}:${entry.id}`;
    if (!loaded.has(key)) loaded.set(key, loadModule(dir, entry));
    return loaded.get(key)!;
  };
  const routes: Route[] = [];
  for (const { name, entries } of layout.routes) {
    const modules: PipelineModule[] = [];
    for (const entry of entries) modules.push(await load(entry));
    const file = layout.router?.file ?? join(dir, "modules.json");
    routes.push({ name, modules, ...classify(file, name, modules) });
  }
  const dims = new Set(routes.map((r) => r.dims));
  if (dims.size > 1 && layout.router) {
    invalid(layout.router.file, `routes give vectors of different dimensions (${routes.map((r) => `${r.name}: ${r.dims}`).join(", ")})`);
  }
  return { dir, routes, router: layout.router, ...sentenceTransformersConfig(dir), sentenceTransformers: layout.sentenceTransformers };
}
