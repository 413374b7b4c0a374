/** What every route of a server shares: its indexes, limits, schemas, metrics, auth and lifecycle state. */
import type { Context } from "hono";
import type { ServerLimits } from "./defaults.js";
import type { ApiSchemas } from "./schemas.js";
import type { ServerMetrics } from "./metrics.js";
import type { ServedIndex } from "./served-index.js";
import type { Access } from "./auth.js";
import type { SearchAlgorithm } from "../index/search.js";
import { ApiError } from "./errors.js";

/** Events the server reports (it never prints): the CLI writes them to stderr; an embedder logs them its way. */
export type ServerEvent =
  | { readonly kind: "error"; readonly method: string; readonly path: string; readonly error: unknown }
  | { readonly kind: "commit"; readonly index: string; readonly operation: "add" | "delete" | "merge"; readonly documents: number; readonly seconds: number };

export interface ServerContext {
  readonly indexes: readonly ServedIndex[];
  readonly limits: ServerLimits;
  readonly schemas: ApiSchemas;
  readonly metrics: ServerMetrics;
  readonly fusionDepth: number;
  readonly algorithm: SearchAlgorithm | undefined;
  readonly authorize: (c: Context, access: Access) => void;
  readonly secured: boolean;
  readonly protectReads: boolean;
  /** closing: draining (requests on open connections are still answered, with Connection: close);
   * refusing: past the drain, new requests get 503. inFlight counts requests inside the app. */
  readonly state: { closing: boolean; refusing: boolean; inFlight: number };
  readonly log: (event: ServerEvent) => void;
}

export type ServerEnv = { Variables: { route: string } };

/** The served index called `name`, or 404 naming `field`. */
export function servedIndex(ctx: ServerContext, name: string, field: string): ServedIndex {
  const served = ctx.indexes.find((i) => i.name === name);
  if (served === undefined) throw new ApiError("NOT_FOUND", `${field}: no index named ${JSON.stringify(name)} (served: ${ctx.indexes.map((i) => i.name).join(", ")})`);
  return served;
}
