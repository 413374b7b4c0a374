/**
 * Writes a trained Router model (inference-free SPLADE) in sentence-transformers' layout, the one
 * `Router.save` produces and the fixtures show (test/fixtures/tiny-inference-free-splade), so that
 * `SparseEncoder(folder)` loads it:
 *   modules.json, router_config.json, config_sentence_transformers.json   copied from the source, byte for byte
 *   {static module}/   config.json ({"frozen": …}) and tokenizer files copied; model.safetensors = one F32
 *                      tensor `weight` [V] (trained, or the source's when frozen or unused), metadata "pt"
 *   {MLM module}/      an MLMTransformer folder (mlm-module.ts); "" = the root (the opensearch layout)
 *   {pooling module}/  config.json copied
 * An idf.json beside the source (the opensearch Hub layout) is not copied: the trained weights supersede it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeSafetensors } from "../../safetensors/index.js";
import type { TrainingModelSource } from "../model-source.js";
import { staticWeightName, type RouterLayout } from "../router-source.js";
import { copyFile, TOKENIZER_FILES, writeMlmModule } from "./mlm-module.js";

export const ROUTER_ROOT_FILES = ["modules.json", "router_config.json", "config_sentence_transformers.json"];

export interface RouterFolderOptions {
  source: TrainingModelSource;
  router: RouterLayout;
  params: ReadonlyMap<string, Float32Array>;
}

export function writeRouterFolder(dir: string, o: RouterFolderOptions): void {
  const { router } = o;
  mkdirSync(dir, { recursive: true });
  for (const f of ROUTER_ROOT_FILES) if (existsSync(join(router.dir, f))) copyFile(join(router.dir, f), join(dir, f));

  const staticName = staticWeightName(router.static);
  const mlmParams = new Map([...o.params].filter(([name]) => name !== staticName));
  writeMlmModule(join(dir, router.mlm.moduleId), o.source, mlmParams);

  const pooling = join(dir, router.mlm.poolingModuleId);
  mkdirSync(pooling, { recursive: true });
  copyFile(join(router.dir, router.mlm.poolingModuleId, "config.json"), join(pooling, "config.json"));

  const s = router.static;
  const staticDir = join(dir, s.moduleId);
  mkdirSync(staticDir, { recursive: true });
  for (const f of ["config.json", ...TOKENIZER_FILES]) if (existsSync(join(s.dir, f))) copyFile(join(s.dir, f), join(staticDir, f));
  const weight = o.params.get(staticName) ?? s.weight;
  writeSafetensors(join(staticDir, "model.safetensors"), [{ name: "weight", dtype: "F32", shape: [weight.length], data: weight }], { format: "pt" });
}
