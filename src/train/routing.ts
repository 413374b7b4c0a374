/**
 * Which route each training column takes, as sentence-transformers' `router_mapping` (training_args.py; applied
 * per column by the data collator, data_collator.py): a column named in the mapping goes to that route; any
 * other column gets task None, which the Router sends to its `default_route`. Upstream refuses to train a Router
 * without a mapping (SparseEncoderTrainer.__init__), and so do we. Beyond upstream, which ignores them
 * silently, a mapping key that names no column of the training file is an error (a typo would otherwise send
 * the queries down the document route).
 *
 * A model without a Router takes every column through its MLM; a mapping for it is an error.
 */
import { SpladeError } from "../util/errors.js";
import { mlmColumnTokenizer, staticColumnTokenizer, type ColumnTokenizer } from "./data/tokenize.js";
import type { TrainingModelSource } from "./model-source.js";
import { staticWeightName, type RouteKind } from "./router-source.js";
import type { StaticRouteGraphOptions } from "./step-graph.js";

/** Column name → route name (the single-dataset form of upstream's `router_mapping`). */
export type RouterMapping = Readonly<Record<string, string>>;

export interface ColumnRouting {
  /** Route kind of each column. */
  routes: RouteKind[];
  /** Tokenizer of each column (its route's first module). */
  tokenizers: ColumnTokenizer[];
  /** The static route, when some column takes it. */
  staticRoute?: StaticRouteGraphOptions;
}

/** Parses `--router-mapping` / `router_mapping` JSON: an object of column → route strings. */
export function parseRouterMapping(json: string): RouterMapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new SpladeError("INVALID_ARGUMENT", `router mapping: not valid JSON: ${json}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SpladeError("INVALID_ARGUMENT", `router mapping: expected an object of column → route, got ${json}`);
  for (const [column, route] of Object.entries(value)) {
    if (typeof route !== "string") {
      throw new SpladeError("INVALID_ARGUMENT", `router mapping: the route of "${column}" must be a string${typeof route === "object" ? " (per-dataset mappings are not supported: one training file is one dataset)" : ""}`);
    }
  }
  return value as RouterMapping;
}

export function routeColumns(source: TrainingModelSource, names: readonly string[], mapping: RouterMapping | undefined, options: { nonNegativeStaticWeights?: boolean } = {}): ColumnRouting {
  const mlm = mlmColumnTokenizer(source.tokenizer, source.maxSeqLength);
  const router = source.router;
  const entries = Object.entries(mapping ?? {});
  if (!router) {
    if (entries.length > 0) throw new SpladeError("INVALID_ARGUMENT", `a router mapping applies to Router models only; ${source.dir} has no Router`);
    return { routes: names.map(() => "mlm"), tokenizers: names.map(() => mlm) };
  }
  const routeNames = [...router.routes.keys()];
  if (entries.length === 0) {
    const example = JSON.stringify(Object.fromEntries(names.map((n, i) => [n, i === 0 ? router.static.route : router.mlm.route])));
    throw new SpladeError("INVALID_ARGUMENT", `${router.dir} is a Router model (routes ${routeNames.join(", ")}): give a router mapping of training columns to routes, e.g. ${example}`);
  }
  for (const [column, route] of entries) {
    if (!names.includes(column)) throw new SpladeError("INVALID_ARGUMENT", `router mapping names the column "${column}", but the training columns are ${names.join(", ")}`);
    if (!router.routes.has(route)) throw new SpladeError("INVALID_ARGUMENT", `router mapping sends "${column}" to route "${route}"; the Router's routes are ${routeNames.join(", ")}`);
  }
  const routes = names.map((column) => {
    const route = mapping![column] ?? router.defaultRoute;
    if (route === null) throw new SpladeError("INVALID_ARGUMENT", `column "${column}" is not in the router mapping and the Router has no default_route`);
    return router.routes.get(route)!;
  });
  const s = router.static;
  const staticTokenizer = staticColumnTokenizer(s.tokenizer, s.maxLength);
  const uses = routes.includes("static");
  return {
    routes,
    tokenizers: routes.map((r) => (r === "static" ? staticTokenizer : mlm)),
    ...(uses ? { staticRoute: { name: staticWeightName(s), padId: s.tokenizer.padId, nonNegative: options.nonNegativeStaticWeights ?? true, ...(s.frozen ? { frozenWeight: s.weight } : {}) } } : {}),
  };
}
