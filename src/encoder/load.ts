/**
 * From what a user typed (a folder, or a Hub id such as `naver/splade-v3`) to a local model folder: Hub ids
 * go through the Hugging Face cache (hub/), folders are used in place. Also loads the tokenizer alone, for
 * commands that need nothing else.
 */
import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { resolveModelPath, type HubOptions } from "../hub/index.js";
import { readJsonFile } from "../util/text-file.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { SpladeError } from "../util/errors.js";
import { MODEL_FILES } from "./model-folder.js";

const TOKENIZER_FILES = [
  { file: "tokenizer.json", optional: true },
  { file: "tokenizer_config.json", optional: true },
  { file: "vocab.txt", optional: true },
  { file: "special_tokens_map.json", optional: true },
] as const;

function checkLocalWeights(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || existsSync(join(dir, "model.safetensors"))) return;
  if (existsSync(join(dir, "model.safetensors.index.json"))) {
    throw new SpladeError("UNSUPPORTED", `${dir}: sharded safetensors checkpoints (model.safetensors.index.json) are not supported`, { path: dir });
  }
  if (existsSync(join(dir, "pytorch_model.bin"))) {
    throw new SpladeError("UNSUPPORTED", `${dir}: pytorch_model.bin (pickle) is not read; save the model with safetensors (model.safetensors)`, { path: dir });
  }
}

/** The local folder holding every file a SPLADE model needs, downloading a Hub id into the cache. */
export async function resolveModelFolder(idOrPath: string, hub: HubOptions = {}): Promise<string> {
  checkLocalWeights(idOrPath);
  const dir = await resolveModelPath(idOrPath, { ...hub, files: MODEL_FILES });
  // modules.json may put the pooling config elsewhere than the default path fetched above.
  const modulesPath = join(dir, "modules.json");
  if (existsSync(modulesPath)) {
    const modules = readJsonFile(modulesPath);
    const pooling = Array.isArray(modules) ? (modules[1] as { path?: unknown } | undefined)?.path : undefined;
    if (typeof pooling === "string" && pooling !== "" && !existsSync(join(dir, pooling, "config.json"))) {
      // A Hub snapshot folder is named after its commit: pin the second request to it.
      await resolveModelPath(idOrPath, { ...hub, revision: basename(dir), files: [`${pooling}/config.json`] });
    }
  }
  return dir;
}

/** The tokenizer of a model folder or Hub id (tokenizer.json, else vocab.txt). */
export async function loadTokenizer(idOrPath: string, hub: HubOptions = {}): Promise<BertTokenizer> {
  const dir = await resolveModelPath(idOrPath, { ...hub, files: TOKENIZER_FILES });
  return BertTokenizer.fromModelDir(dir);
}
