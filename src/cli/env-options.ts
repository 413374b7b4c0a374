/**
 * Encoder options the CLI reads from its environment: the Hub client's (hubOptionsFromEnv) and where
 * optimized graphs are cached ($SPLADE_CACHE_DIR, "off" to disable; else $XDG_CACHE_HOME/splade-ts/graphs or
 * ~/.cache/splade-ts/graphs). Library code takes these as options and never reads the environment.
 */
import { resolveCacheDir } from "../encoder/graph-cache.js";
import type { FromPretrainedOptions } from "../encoder/index.js";
import { hubOptionsFromEnv } from "../hub/index.js";

export function encoderOptionsFromEnv(env: NodeJS.ProcessEnv): FromPretrainedOptions {
  return { ...hubOptionsFromEnv(env), graphCache: resolveCacheDir(env) ?? false };
}
