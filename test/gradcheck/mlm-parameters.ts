/**
 * The parameters of a tiny masked-LM + SPLADE pooling graph as gradcheck inputs: shapes found by building the
 * model once with a recording ParamSource, values drawn from `rng` (LayerNorm weights near 1, everything
 * else small normals so that activations stay in range), 3 sampled elements each. And the token columns fed to it.
 */
import { GraphBuilder } from "../../src/graph/builder.js";
import type { TransformerConfig } from "../../src/model/config.js";
import type { ModelContext, ParamSource } from "../../src/model/context.js";
import { buildMaskedLm } from "../../src/model/mlm.js";
import { spladePooling } from "../../src/model/splade-pooling.js";
import type { Rng } from "../../src/util/rng.js";
import type { CaseInput } from "./harness.js";

function mlmParamShapes(cfg: TransformerConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const g = new GraphBuilder("probe");
  const param: ParamSource = (key, shape) => {
    shapes.set(key, shape);
    return { name: key };
  };
  const ids = g.input("ids", "int64", [2, 4]);
  const ctx: ModelContext = { g, param, kernels: "plain" };
  spladePooling(ctx, cfg, buildMaskedLm(ctx, cfg, ids, ids), ids, { pooling: "max", activation: "relu" });
  return shapes;
}

export function mlmParameterInputs(cfg: TransformerConfig, rng: Rng): CaseInput[] {
  const inputs: CaseInput[] = [];
  for (const [name, shape] of mlmParamShapes(cfg)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const isNormWeight = /(LayerNorm|layer_norm)\.weight$/.test(name);
    inputs.push({ name, shape, data: Array.from({ length: n }, () => (isNormWeight ? 1 + 0.1 * rng.normal() : 0.5 * rng.normal())), sample: 3 });
  }
  return inputs;
}

/**
 * Token column `c` as inputs `ids{c}` and `mask{c}` of shape [B, T]: random ids in [1, vocabSize), and the
 * last row padded by one token.
 */
export function tokenColumnInputs(cfg: TransformerConfig, rng: Rng, c: number, B: number, T: number): CaseInput[] {
  return [
    { name: `ids${c}`, shape: [B, T], dtype: "int64", data: Array.from({ length: B * T }, () => 1 + rng.int(cfg.vocabSize - 1)) },
    { name: `mask${c}`, shape: [B, T], dtype: "int64", data: Array.from({ length: B * T }, (_, i) => (i === B * T - 1 ? 0 : 1)) },
  ];
}
