/**
 * From what a user typed (a folder, or a Hub id such as `naver/splade-v3`) to a local model folder: folders
 * are used in place; Hub ids are downloaded into the Hugging Face cache, file by file, following the model's
 * own layout — the Hub has no listing here, so the files are found as loading will read them:
 *   1. the root: modules.json, config_sentence_transformers.json, router_config.json, config.json;
 *   2. every module of modules.json / router_config.json (module-layout.ts): the files its class reads
 *      (module-types.ts) under its folder (`query_0_SparseStaticEmbedding/…`, `2_SparseAutoEncoder/…`, or the root);
 *   3. each weighted module's weights, in the order checkpoint.ts prefers them: model.safetensors, else
 *      model.safetensors.index.json and the shards it names, else pytorch_model.bin (…, else its sharded index).
 * Every request after the first is pinned to the commit the first one resolved. Also loads a route's tokenizer alone.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { resolveModelPath, type FileRequest, type HubOptions } from "../hub/index.js";
import { WEIGHT_FILES } from "../model/checkpoint.js";
import { shardFiles } from "../model/sharded.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { readModuleLayout } from "./module-layout.js";
import { resolveRouteName } from "./router.js";
import { hasWeights, moduleFiles, TOKENIZER_FILES } from "./module-types.js";

const ROOT_FILES = ["modules.json", "config_sentence_transformers.json", "router_config.json", "config.json"];

const optional = (file: string): FileRequest => ({ file, optional: true });
const under = (id: string, file: string) => (id === "" ? file : `${id}/${file}`);

/** Fetches the weights of the module folder `id`, trying each format in turn. */
async function fetchWeights(idOrPath: string, dir: string, id: string, hub: HubOptions): Promise<void> {
  for (const { file, format } of WEIGHT_FILES) {
    await resolveModelPath(idOrPath, { ...hub, files: [optional(under(id, file))] });
    const path = join(dir, ...under(id, file).split("/"));
    if (!existsSync(path)) continue;
    if (format.endsWith("-sharded")) await resolveModelPath(idOrPath, { ...hub, files: shardFiles(path).map((shard) => under(id, shard)) });
    return;
  }
  // None of them: ask for the preferred one as required, so the Hub layer reports it (NOT_FOUND online,
  // OFFLINE when the cache lacks it, e.g. after an interrupted download).
  await resolveModelPath(idOrPath, { ...hub, files: [under(id, WEIGHT_FILES[0].file)] });
}

/** The local folder holding every file the model needs, downloading a Hub id into the cache. */
export async function resolveModelFolder(idOrPath: string, hub: HubOptions = {}): Promise<string> {
  if (existsSync(idOrPath)) return resolveModelPath(idOrPath, { ...hub, files: ROOT_FILES.map(optional) });
  const dir = await resolveModelPath(idOrPath, { ...hub, files: ROOT_FILES.map(optional) });
  // A Hub snapshot folder is named after its commit: pin every later request to it.
  const pinned: HubOptions = { ...hub, revision: basename(dir) };
  const modules = new Map<string, ReturnType<typeof readModuleLayout>["routes"][number]["entries"][number]>();
  for (const route of readModuleLayout(dir).routes) for (const entry of route.entries) modules.set(`${entry.cls}:${entry.id}`, entry);
  await resolveModelPath(idOrPath, { ...pinned, files: [...modules.values()].flatMap((m) => moduleFiles(m.cls).map((f) => optional(under(m.id, f)))) });
  const weighted = new Set([...modules.values()].filter((m) => hasWeights(m.cls)).map((m) => m.id));
  for (const id of weighted) await fetchWeights(idOrPath, dir, id, pinned);
  return dir;
}

/**
 * The tokenizer of a model folder or Hub id: its input module's (tokenizer.json, else vocab.txt). For a Router
 * model, the route `task` resolves to (router.ts); with no task, the first route's, as upstream's
 * `Router.tokenizer`. A plain masked-LM folder or a model without Router has one.
 */
export async function loadTokenizer(idOrPath: string, hub: HubOptions = {}, task?: string): Promise<BertTokenizer> {
  const dir = await resolveModelPath(idOrPath, { ...hub, files: [...ROOT_FILES, ...TOKENIZER_FILES].map(optional) });
  const layout = readModuleLayout(dir);
  const name = task === undefined ? layout.routes[0].name : resolveRouteName(layout, task);
  const id = layout.routes.find((route) => route.name === name)!.entries[0].id;
  if (id === "") return BertTokenizer.fromModelDir(dir);
  const pinned: HubOptions = existsSync(idOrPath) ? hub : { ...hub, revision: basename(dir) };
  await resolveModelPath(idOrPath, { ...pinned, files: TOKENIZER_FILES.map((file) => optional(under(id, file))) });
  return BertTokenizer.fromModelDir(join(dir, ...id.split("/")));
}
