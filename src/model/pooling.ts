/**
 * Dense pooling of token embeddings into one vector per text, in the graph (sentence-transformers
 * models/Pooling.py): the modes a Pooling config turns on are concatenated in upstream's order —
 * cls, max, mean, mean_sqrt_len, weightedmean, lasttoken — each over the tokens the mask keeps:
 *   cls           the first token (the mask is not consulted, as upstream);
 *   max           max over kept tokens (dropped ones count as −1e9);
 *   mean          Σ kept / max(count, 1e-9);   mean_sqrt_len: Σ kept / √max(count, 1e-9);
 *   weightedmean  Σ (t+1)·x_t over kept / Σ (t+1) over kept (position weights 1…T);
 *   lasttoken     the last kept token (zeros when none is kept).
 * `mask` is the pooling mask: the attention mask, with the prompt's tokens cleared when include_prompt is false.
 *
 * Shapes: B batch, T tokens, C hidden.
 */
import type { V } from "../graph/builder.js";
import type { ModelContext } from "./context.js";

/** The Pooling module's config (1_Pooling/config.json pooling_mode_* booleans and include_prompt). */
export interface PoolingOptions {
  cls: boolean;
  max: boolean;
  mean: boolean;
  meanSqrtLen: boolean;
  weightedMean: boolean;
  lastToken: boolean;
  includePrompt: boolean;
}

/** Modes that are on, in upstream's concatenation order. */
export function poolingModes(o: PoolingOptions): string[] {
  const modes: Array<[boolean, string]> = [[o.cls, "cls"], [o.max, "max"], [o.mean, "mean"], [o.meanSqrtLen, "mean_sqrt_len_tokens"], [o.weightedMean, "weightedmean"], [o.lastToken, "lasttoken"]];
  return modes.filter(([on]) => on).map(([, name]) => name);
}

/** hidden [B, T, C], mask int64 [B, T] → [B, C × number of modes]. */
export function pooling(ctx: ModelContext, hidden: V, mask: V, o: PoolingOptions): V {
  const { g } = ctx;
  const maskF = g.unsqueeze(g.cast(mask, "float32"), [2]); // [B, T, 1]
  const count = () => g.max2(g.reduceSum(maskF, [1]), g.constScalar(1e-9)); // [B, 1]
  const outputs: V[] = [];
  if (o.cls) outputs.push(g.squeeze(g.slice(hidden, [0], [1], [1]), [1])); // [B, C]
  if (o.max) outputs.push(g.reduceMax(g.where(g.cast(maskF, "bool"), hidden, g.constScalar(-1e9)), [1])); // [B, C]
  if (o.mean || o.meanSqrtLen) {
    const sum = g.reduceSum(g.mul(hidden, maskF), [1]); // [B, C]
    if (o.mean) outputs.push(g.div(sum, count()));
    if (o.meanSqrtLen) outputs.push(g.div(sum, g.sqrt(count())));
  }
  const tokens = g.gather(g.shape(hidden), g.constInt64([1], []), 0); // scalar T
  const positions = g.op("Range", [g.constInt64([0], []), tokens, g.constInt64([1], [])]) as V; // [T]
  if (o.weightedMean) {
    const weights = g.mul(maskF, g.unsqueeze(g.cast(g.add(positions, g.constInt64([1], [])), "float32"), [0, 2])); // [B, T, 1]
    const sum = g.reduceSum(g.mul(hidden, weights), [1]); // [B, C]
    outputs.push(g.div(sum, g.max2(g.reduceSum(weights, [1]), g.constScalar(1e-9))));
  }
  if (o.lastToken) {
    // The last kept position (0 when none is kept; that token is then zeroed by the mask, as upstream).
    const last = g.reduceMax(g.mul(mask, g.unsqueeze(positions, [0])), [1], true); // [B, 1]
    const pick = g.unsqueeze(g.cast(g.equal(g.unsqueeze(positions, [0]), last), "float32"), [2]); // [B, T, 1]
    outputs.push(g.reduceSum(g.mul(g.mul(hidden, maskF), pick), [1])); // [B, C]
  }
  return outputs.length === 1 ? outputs[0] : g.concat(outputs, 1); // [B, C × modes]
}
