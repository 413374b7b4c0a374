/**
 * The Router layout a training run reads and writes back: sentence-transformers' `Router` (models/Router.py)
 * with one route of a `SparseStaticEmbedding` (the inference-free query side) and one route of
 * `MLMTransformer` + `SpladePooling` (the document side), as `Router.for_query_document` saves it:
 *   modules.json          one entry, path "", type …Router
 *   router_config.json    {"types": {module id: class path}, "structure": {route: [module ids]},
 *                          "parameters": {"default_route", "allow_empty_key"}}
 *   {route}_{i}_{Class}/  one folder per module (the opensearch Hub layout puts the MLM at the root, id "")
 * Only the class name of a type path decides (v5 `…sparse_encoder.models.X.X`, v5.4+/v6 `…modules.…`).
 *
 * Training keeps this file's reading minimal on purpose: the encoder's Router loader (src/encoder) owns
 * inference; here we need the routes, the static weight and its tokenizer, and where the MLM lives.
 *
 * Shapes: V vocabulary (the static weight [V] and the document vectors share it).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CheckpointWeights } from "../model/weights.js";
import { BertTokenizer } from "../tokenizer/index.js";
import { SpladeError } from "../util/errors.js";
import { readJsonFile } from "../util/text-file.js";

export type RouteKind = "static" | "mlm";

export interface StaticRouteSource {
  route: string;
  /** Module folder name, e.g. `query_0_SparseStaticEmbedding`. */
  moduleId: string;
  dir: string;
  /** Initial weight [V]. */
  weight: Float32Array;
  tokenizer: BertTokenizer;
  /** The tokenizer's model_max_length (upstream `max_seq_length` of the module); Infinity when unset. */
  maxLength: number;
  /** config.json `frozen`: the weight is not trained (requires_grad False upstream). */
  frozen: boolean;
}

export interface MlmRouteSource {
  route: string;
  /** Folder of the MLMTransformer ("" = the model root, the opensearch layout). */
  moduleId: string;
  /** Folder of its SpladePooling. */
  poolingModuleId: string;
}

export interface RouterLayout {
  dir: string;
  /** Route name → kind, in router_config.json order. */
  routes: Map<string, RouteKind>;
  /** The route of a column that the router mapping does not name (upstream: `default_route`). */
  defaultRoute: string | null;
  static: StaticRouteSource;
  mlm: MlmRouteSource;
}

/** Graph/param name of the static weight: upstream v5.0's parameter name, `{module id}.weight`. */
export function staticWeightName(s: Pick<StaticRouteSource, "moduleId">): string {
  return `${s.moduleId}.weight`;
}

function className(type: unknown, file: string): string {
  if (typeof type !== "string" || !type.startsWith("sentence_transformers.")) {
    throw new SpladeError("UNSUPPORTED", `${file}: module type ${JSON.stringify(type)} is not a sentence-transformers class`, { path: file });
  }
  return type.slice(type.lastIndexOf(".") + 1);
}

/** Whether `dir` is a Router model (modules.json with a single Router entry). */
export function isRouterFolder(dir: string): boolean {
  const path = join(dir, "modules.json");
  if (!existsSync(path)) return false;
  const modules = readJsonFile(path);
  return Array.isArray(modules) && modules.some((m) => typeof m?.type === "string" && /(^|\.)Router$/.test(m.type));
}

function readStaticRoute(root: string, route: string, moduleId: string): StaticRouteSource {
  const dir = join(root, moduleId);
  const configPath = join(dir, "config.json");
  const config = existsSync(configPath) ? (readJsonFile(configPath) as Record<string, unknown>) : {};
  if (config.path !== undefined) {
    throw new SpladeError("UNSUPPORTED", `${configPath}: a SparseStaticEmbedding that loads its weights from ${JSON.stringify(config.path)} (idf.json) is not trained; save it with its model.safetensors first`, { path: configPath });
  }
  const weightsPath = join(dir, "model.safetensors");
  if (!existsSync(weightsPath)) throw new SpladeError("FILE_NOT_FOUND", `${dir}: no model.safetensors (the SparseStaticEmbedding weight)`, { path: weightsPath });
  const weights = CheckpointWeights.open(weightsPath);
  const info = weights.file.has("weight") ? weights.file.info("weight") : undefined;
  if (!info || info.shape.length !== 1) throw new SpladeError("INVALID_FILE", `${weightsPath}: expected one tensor 'weight' of shape [vocabulary]`, { path: weightsPath });
  const tokenizerConfig = join(dir, "tokenizer_config.json");
  const modelMax = existsSync(tokenizerConfig) ? (readJsonFile(tokenizerConfig) as Record<string, unknown>).model_max_length : undefined;
  return {
    route,
    moduleId,
    dir,
    weight: weights.get("weight", info.shape),
    tokenizer: BertTokenizer.fromModelDir(dir),
    maxLength: typeof modelMax === "number" && modelMax > 0 ? modelMax : Infinity,
    frozen: config.frozen === true,
  };
}

/** Reads router_config.json of `dir` and the static route's weight and tokenizer. */
export function readRouterLayout(dir: string): RouterLayout {
  const path = join(dir, "router_config.json");
  const config = readJsonFile(path, "a Router model") as { types?: Record<string, unknown>; structure?: Record<string, unknown>; parameters?: Record<string, unknown> };
  if (typeof config.types !== "object" || config.types === null || typeof config.structure !== "object" || config.structure === null) {
    throw new SpladeError("INVALID_FILE", `${path}: expected "types" and "structure" objects`, { path });
  }
  const types = config.types;
  const routes = new Map<string, RouteKind>();
  let staticRoute: StaticRouteSource | undefined;
  let mlm: MlmRouteSource | undefined;
  for (const [route, ids] of Object.entries(config.structure)) {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string" || !(id in types))) {
      throw new SpladeError("INVALID_FILE", `${path}: route "${route}" must list module ids found in "types"`, { path });
    }
    const classes = (ids as string[]).map((id) => className(types[id], path));
    if (classes.length === 1 && classes[0] === "SparseStaticEmbedding") {
      if (staticRoute) throw new SpladeError("UNSUPPORTED", `${path}: training supports one SparseStaticEmbedding route, found "${staticRoute.route}" and "${route}"`, { path });
      staticRoute = readStaticRoute(dir, route, ids[0] as string);
      routes.set(route, "static");
    } else if (classes.length === 2 && classes[0] === "MLMTransformer" && classes[1] === "SpladePooling") {
      if (mlm) throw new SpladeError("UNSUPPORTED", `${path}: training supports one MLMTransformer route, found "${mlm.route}" and "${route}" (two-encoder Routers are not trained)`, { path });
      mlm = { route, moduleId: ids[0] as string, poolingModuleId: ids[1] as string };
      routes.set(route, "mlm");
    } else {
      throw new SpladeError("UNSUPPORTED", `${path}: route "${route}" is ${classes.join(" + ")}; training supports [SparseStaticEmbedding] and [MLMTransformer, SpladePooling] routes`, { path });
    }
  }
  if (!staticRoute || !mlm) throw new SpladeError("UNSUPPORTED", `${path}: training expects a SparseStaticEmbedding route and an MLMTransformer + SpladePooling route`, { path });
  const parameters = config.parameters ?? {};
  const allowEmptyKey = parameters.allow_empty_key !== false;
  let defaultRoute = typeof parameters.default_route === "string" ? parameters.default_route : null;
  // Router.__init__: with allow_empty_key and no default route, the first route is the default.
  if (defaultRoute === null && allowEmptyKey) defaultRoute = [...routes.keys()][0];
  if (defaultRoute !== null && !routes.has(defaultRoute)) throw new SpladeError("INVALID_FILE", `${path}: default_route "${defaultRoute}" is not a route`, { path });
  return { dir, routes, defaultRoute, static: staticRoute, mlm };
}
