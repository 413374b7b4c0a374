/**
 * Which route a text goes through, exactly as sentence-transformers' Router resolves it
 * (`Router._resolve_route_name` / `_resolve_route`, v6; v5's rules are the subset without route_mappings).
 * Texts have modality "text". With `task` the caller's task (encodeQuery → "query", encodeDocument →
 * "document", a plain encode → none):
 *   1. route_mappings (task, "text"), then (task, *), then (*, "text"), then (*, *);
 *   2. a route named like the task; then a route named "text";
 *   3. a task that matched nothing → NOT_FOUND naming router_config.json and the routes;
 *   4. no task → default_route (allow_empty_key made the first route the default when none was set);
 *      none → INVALID_ARGUMENT.
 * A model without Router has one route, whatever the task (upstream passes the task to no module then).
 */
import { SpladeError } from "../util/errors.js";
import type { ModelPipeline, Route } from "./pipeline.js";

const TEXT = "text";

/** What route resolution reads: the route names and the Router's configuration (a pipeline or a module layout). */
type RoutedModel = Pick<ModelPipeline, "router"> & { readonly routes: ReadonlyArray<{ readonly name: string }> };

function mapped(pipeline: RoutedModel, task: string | null): string | undefined {
  const mappings = pipeline.router?.routeMappings ?? [];
  const find = (t: string | null, modality: string | null) => mappings.find((m) => m.task === t && m.modality === modality)?.route;
  return find(task, TEXT) ?? find(task, null) ?? find(null, TEXT) ?? find(null, null);
}

/** The route name for `task` (see the header). */
export function resolveRouteName(pipeline: RoutedModel, task?: string): string {
  const router = pipeline.router;
  if (router === null) return pipeline.routes[0].name;
  const names = pipeline.routes.map((r) => r.name);
  const name = mapped(pipeline, task ?? null) ?? (task !== undefined && names.includes(task) ? task : undefined) ?? (names.includes(TEXT) ? TEXT : undefined);
  if (name !== undefined) return name;
  if (task !== undefined) {
    throw new SpladeError("NOT_FOUND", `${router.file}: no route for task ${JSON.stringify(task)} (routes: ${names.join(", ")})`, { path: router.file });
  }
  if (router.defaultRoute === null) {
    throw new SpladeError("INVALID_ARGUMENT", `${router.file}: no task was given and the Router has no default_route; pass a task (routes: ${names.join(", ")})`, { path: router.file });
  }
  return router.defaultRoute;
}

export function resolveRoute(pipeline: ModelPipeline, task?: string): Route {
  const name = resolveRouteName(pipeline, task);
  return pipeline.routes.find((r) => r.name === name)!;
}
