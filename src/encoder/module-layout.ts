/**
 * Which modules a SparseEncoder folder has and how they are routed, from modules.json and (for a Router)
 * router_config.json — before any module is loaded:
 *
 *   no modules.json                    a plain masked-LM folder: MLMTransformer at the root, then upstream's
 *                                      default SpladePooling("max", "relu") (SparseEncoder._load_auto_model);
 *   modules.json                       one route ("default") of the listed modules, in order;
 *   modules.json = [Router, rest…]     one route per key of router_config.json `structure`, each its modules
 *                                      (ids = sub-folders `{route}_{i}_{Class}`, or "" for the root as in the
 *                                      opensearch Hub layout) followed by the rest of modules.json.
 *
 * router_config.json `parameters`: default_route, allow_empty_key (no default → the first route, as upstream),
 * route_mappings (v6: `"('query', None)": "query"` keys, Python tuple literals). Errors name the file.
 * Source: sentence-transformers `Router.load` / `Router.__init__` / `_resolve_route_name`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SpladeError } from "../util/errors.js";
import { readJsonFile } from "../util/text-file.js";
import { invalid, readObject } from "./json-config.js";
import { moduleClass, type ModuleClass } from "./module-types.js";
import type { RouteMapping, RouterConfig } from "./pipeline.js";

export interface ModuleEntry {
  /** Folder relative to the model folder ("" = root), '/'-separated. */
  readonly id: string;
  readonly cls: ModuleClass;
  readonly typePath: string;
  /** The file that declared the module (modules.json or router_config.json); null for upstream's implicit defaults. */
  readonly declaredIn: string | null;
}

export interface ModuleLayout {
  readonly routes: ReadonlyArray<{ readonly name: string; readonly entries: readonly ModuleEntry[] }>;
  readonly router: RouterConfig | null;
  readonly sentenceTransformers: boolean;
}

export const DEFAULT_ROUTE = "default";

const SPLADE_POOLING_PATH = "sentence_transformers.sparse_encoder.models.SpladePooling";

function joinId(base: string, id: string): string {
  return [base, id].filter((part) => part !== "").join("/");
}

function checkId(file: string, id: string): void {
  if (id.includes("\\") || id.split("/").some((s) => s === "." || s === "..") || id.startsWith("/")) invalid(file, `module path ${JSON.stringify(id)} leaves the model folder`);
}

/** A Python literal as route_mappings keys write it: None, a quoted string, or a tuple of those. */
function parsePythonLiteral(text: string, file: string): unknown {
  let at = 0;
  const skip = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const value = (): unknown => {
    skip();
    if (text.startsWith("None", at)) return (at += 4), null;
    const quote = text[at];
    if (quote === "'" || quote === '"') {
      const end = text.indexOf(quote, at + 1);
      if (end < 0 || text.slice(at + 1, end).includes("\\")) invalid(file, `route_mappings key ${JSON.stringify(text)} is not a plain Python literal`);
      const s = text.slice(at + 1, end);
      at = end + 1;
      return s;
    }
    if (quote === "(") {
      at++;
      const items: unknown[] = [];
      for (skip(); text[at] !== ")"; skip()) {
        items.push(value());
        skip();
        if (text[at] === ",") at++;
        else if (text[at] !== ")") invalid(file, `route_mappings key ${JSON.stringify(text)} is not a Python tuple`);
        skip();
        if (at >= text.length) invalid(file, `route_mappings key ${JSON.stringify(text)} is not closed`);
      }
      at++;
      return items;
    }
    return invalid(file, `route_mappings key ${JSON.stringify(text)} is not a (task, modality) tuple`);
  };
  const result = value();
  skip();
  if (at !== text.length) invalid(file, `route_mappings key ${JSON.stringify(text)} has trailing text`);
  return result;
}

function parseMappings(raw: unknown, routes: string[], file: string): RouteMapping[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw)) invalid(file, "parameters.route_mappings must be an object");
  return Object.entries(raw as Record<string, unknown>).map(([key, route]) => {
    const tuple = parsePythonLiteral(key, file);
    if (!Array.isArray(tuple) || tuple.length !== 2) invalid(file, `route_mappings key ${JSON.stringify(key)} is not a (task, modality) pair`);
    const [task, modality] = tuple as unknown[];
    const modalityOk = modality === null || typeof modality === "string" || (Array.isArray(modality) && modality.every((m) => typeof m === "string"));
    if ((task !== null && typeof task !== "string") || !modalityOk) invalid(file, `route_mappings key ${JSON.stringify(key)} is not (task, modality)`);
    if (typeof route !== "string" || !routes.includes(route)) invalid(file, `route_mappings ${JSON.stringify(key)} maps to ${JSON.stringify(route)}, which is not one of the routes [${routes.join(", ")}]`);
    const sortedModality = Array.isArray(modality) ? [...(modality as string[])].sort() : (modality as string | null);
    return { task: task as string | null, modality: sortedModality, route };
  });
}

function readRouter(dir: string, routerId: string, rest: ModuleEntry[]): ModuleLayout {
  const file = join(dir, routerId, "router_config.json");
  const json = readObject(file);
  const types = json.types;
  const structure = json.structure;
  if (typeof types !== "object" || types === null || Array.isArray(types)) invalid(file, `"types" must map module ids to class paths`);
  if (typeof structure !== "object" || structure === null || Array.isArray(structure)) invalid(file, `"structure" must map routes to lists of module ids`);
  const typeMap = types as Record<string, unknown>;
  const routes = Object.entries(structure as Record<string, unknown>).map(([name, ids]) => {
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) invalid(file, `structure.${name} must be a non-empty list of module ids`);
    const entries = (ids as string[]).map((id): ModuleEntry => {
      if (!Object.hasOwn(typeMap, id)) invalid(file, `structure.${name} names module ${JSON.stringify(id)}, which "types" does not list`);
      checkId(file, id);
      const cls = moduleClass(typeMap[id], file);
      if (cls === "Router") throw new SpladeError("UNSUPPORTED", `${file}: a Router inside a Router is not supported`, { path: file });
      return { id: joinId(routerId, id), cls, typePath: typeMap[id] as string, declaredIn: file };
    });
    return { name, entries: [...entries, ...rest] };
  });
  if (routes.length === 0) invalid(file, `"structure" has no routes`);
  const names = routes.map((r) => r.name);
  const parameters = json.parameters ?? {};
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) invalid(file, `"parameters" must be an object`);
  const p = parameters as Record<string, unknown>;
  const allowEmptyKey = p.allow_empty_key ?? true;
  if (typeof allowEmptyKey !== "boolean") invalid(file, "parameters.allow_empty_key must be true or false");
  let defaultRoute = p.default_route ?? null;
  if (defaultRoute !== null && (typeof defaultRoute !== "string" || !names.includes(defaultRoute))) {
    invalid(file, `parameters.default_route ${JSON.stringify(defaultRoute)} is not one of the routes [${names.join(", ")}]`);
  }
  if (defaultRoute === null && allowEmptyKey) defaultRoute = names[0];
  const router: RouterConfig = { file, defaultRoute: defaultRoute as string | null, allowEmptyKey, routeMappings: parseMappings(p.route_mappings, names, file) };
  return { routes, router, sentenceTransformers: true };
}

/** Reads modules.json (and router_config.json) of the folder `dir`. */
export function readModuleLayout(dir: string): ModuleLayout {
  const file = join(dir, "modules.json");
  if (!existsSync(file)) {
    const entries: ModuleEntry[] = [
      { id: "", cls: "MLMTransformer", typePath: "sentence_transformers.sparse_encoder.models.MLMTransformer", declaredIn: null },
      { id: "", cls: "SpladePooling", typePath: SPLADE_POOLING_PATH, declaredIn: null },
    ];
    return { routes: [{ name: DEFAULT_ROUTE, entries }], router: null, sentenceTransformers: false };
  }
  const modules = readJsonFile(file);
  if (!Array.isArray(modules) || modules.length === 0 || modules.some((m) => typeof m !== "object" || m === null || typeof m.path !== "string")) {
    invalid(file, "expected a non-empty list of {idx, name, path, type}");
  }
  const entries = (modules as Array<{ path: string; type: unknown }>).map((m): ModuleEntry => {
    checkId(file, m.path);
    return { id: m.path, cls: moduleClass(m.type, file), typePath: String(m.type), declaredIn: file };
  });
  const routerAt = entries.findIndex((e) => e.cls === "Router");
  if (routerAt > 0 || entries.filter((e) => e.cls === "Router").length > 1) {
    throw new SpladeError("UNSUPPORTED", `${file}: a Router is supported only as the first module`, { path: file });
  }
  if (routerAt === 0) return readRouter(dir, entries[0].id, entries.slice(1));
  return { routes: [{ name: DEFAULT_ROUTE, entries }], router: null, sentenceTransformers: true };
}
