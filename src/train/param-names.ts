/**
 * The names sentence-transformers gives our training parameters (what `learning_rate_mapping` patterns are
 * matched against: `named_parameters()` of the SpladeLoss, whose model is attribute `model`).
 *   plain SparseEncoder     model.0.auto_model.{checkpoint key}                       (MLMTransformer.auto_model)
 *   Router, v5.0            model.0.{route}_{i}_{Class}.…                              (Router was an nn.Sequential
 *                                                                                      keyed by route_index_class)
 *   Router, v5.1+           model.0.sub_modules.{route}.{i}.…                         (an nn.ModuleDict of routes)
 * A parameter matches a pattern when any of its names does, so the docs' `SparseStaticEmbedding\.weight` (v5.0
 * names) and a `sub_modules\.query` pattern (v5.1+ names) both work.
 */
import type { TrainingModelSource } from "./model-source.js";
import { staticWeightName } from "./router-source.js";

export function upstreamParameterNames(source: TrainingModelSource, param: string): string[] {
  const router = source.router;
  if (!router) return [`model.0.auto_model.${param}`];
  if (param === staticWeightName(router.static)) {
    const route = router.static.route;
    return [`model.0.${route}_0_SparseStaticEmbedding.weight`, `model.0.sub_modules.${route}.0.weight`];
  }
  const route = router.mlm.route;
  return [`model.0.${route}_0_MLMTransformer.auto_model.${param}`, `model.0.sub_modules.${route}.0.auto_model.${param}`];
}
