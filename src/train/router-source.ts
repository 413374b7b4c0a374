/**
 * The Router layout a training run reads and writes back: sentence-transformers' `Router` (models/Router.py)
 * with one route of a `SparseStaticEmbedding` (the inference-free query side) and one route of
 * `MLMTransformer` + `SpladePooling` (the document side), as `Router.for_query_document` saves it:
 *   modules.json          one entry, path "", type …Router
 *   router_config.json    {"types": {module id: class path}, "structure": {route: [module ids]},
 *                          "parameters": {"default_route", "allow_empty_key"}}
 *   {route}_{i}_{Class}/  one folder per module (the opensearch Hub layout puts the MLM at the root, id "")
 * The folder is read by the encoder's loader (src/encoder/load-pipeline.ts: class paths of every release,
 * route_mappings, any weight format); this file picks out what training needs and refuses the Routers it does
 * not train (two MLM routes, CSR routes, a Normalize after the pooling).
 *
 * Shapes: V vocabulary (the static weight [V] and the document vectors share it).
 */
import { BertTokenizer } from "../tokenizer/index.js";
import type { ModelPipeline, SparseStaticEmbeddingModule, SpladePoolingModule, TransformerModule } from "../encoder/pipeline.js";
import { SpladeError } from "../util/errors.js";

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
  /** The modules as the encoder's loader read them. */
  mlm: TransformerModule;
  pooling: SpladePoolingModule;
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

/** The training view of a loaded Router model (`pipeline.router` set). */
export function routerLayout(pipeline: ModelPipeline): RouterLayout {
  const file = pipeline.router!.file;
  const refuse = (what: string): never => {
    throw new SpladeError("UNSUPPORTED", `${file}: ${what}; training supports a Router of one SparseStaticEmbedding route and one MLMTransformer → SpladePooling route`, { path: file });
  };
  const routes = new Map<string, RouteKind>();
  let staticRoute: StaticRouteSource | undefined;
  let mlm: MlmRouteSource | undefined;
  for (const route of pipeline.routes) {
    const sequence = route.modules.map((m) => m.type).join(" → ");
    if (route.kind === "static") {
      if (staticRoute) refuse(`routes "${staticRoute.route}" and "${route.name}" are both SparseStaticEmbedding`);
      const m = route.modules[0] as SparseStaticEmbeddingModule;
      staticRoute = { route: route.name, moduleId: m.id, dir: m.dir, weight: m.weight, tokenizer: BertTokenizer.fromModelDir(m.dir), maxLength: m.maxSeqLength ?? Infinity, frozen: m.frozen };
      routes.set(route.name, "static");
    } else if (route.kind === "splade" && route.modules.length === 2) {
      if (mlm) refuse(`routes "${mlm.route}" and "${route.name}" both have an MLMTransformer (two-encoder Routers are not trained)`);
      const [m, pooling] = route.modules as [TransformerModule, SpladePoolingModule];
      mlm = { route: route.name, moduleId: m.id, poolingModuleId: pooling.id, mlm: m, pooling };
      routes.set(route.name, "mlm");
    } else {
      refuse(`route "${route.name}" is ${sequence}`);
    }
  }
  if (!staticRoute || !mlm) return refuse(`routes ${pipeline.routes.map((r) => `"${r.name}"`).join(", ")}`);
  return { dir: pipeline.dir, routes, defaultRoute: pipeline.router!.defaultRoute, static: staticRoute, mlm };
}
