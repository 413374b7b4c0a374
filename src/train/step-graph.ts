/**
 * One training step as ONE onnxruntime graph: the forward pass of every column (query, positive, negatives)
 * through the same parameters, SpladeLoss, the backward pass (autodiff), gradient clipping and AdamW. The
 * parameters and Adam moments are graph inputs and the updated ones graph outputs, so a step is one
 * `session.run` and no per-element JavaScript work happens on weights.
 *
 * Inputs   input_ids/{c}, attention_mask/{c}  int64 [B, T_c]   c = 0 query, 1 positive, 2… negatives
 *          labels float32 [B, k] (margin-mse), lambda_document, lambda_query, lr, step_size,
 *          bias_correction2_sqrt, grad_scale (1 / accumulation steps) float32 scalars, dropout_seed int64
 *          lr/{g}, step_size/{g} for each learning-rate group g ≥ 1 (optimizer/lr-mapping.ts)
 *          {param}, m/{param}, v/{param}; grad_acc/{param} with `accumulated`
 * Outputs  loss, base_loss, document_regularizer_loss, query_regularizer_loss, and
 *          mode "update":     grad_norm (before clipping), param_out/{p}, m_out/{p}, v_out/{p}
 *                             (+ grad_clipped/{p} with exposeGradients)
 *          mode "accumulate": grad_acc_out/{p} = grad_acc/{p} (or 0) + grad_scale · ∇p
 * Gradient accumulation (HF semantics: each micro-batch's loss is divided by the number of micro-batches):
 * the first micro-batches run "accumulate", the last runs "update" with `accumulated`.
 *
 * Router models (inference-free SPLADE): each column runs through its route — the MLM + SpladePooling, or
 * the SparseStaticEmbedding (static-embedding-graph.ts; its ids are tokenized without special tokens). Only
 * routes some column uses contribute parameters; a frozen static weight is a constant, not a parameter, and a
 * trained one may be kept ≥ 0 (StaticRouteGraphOptions.nonNegative).
 *
 * Shapes: B batch, T_c tokens of column c, V vocabulary, k negatives.
 */
import { GraphBuilder, type V } from "../graph/builder.js";
import type { GraphIR } from "../graph/ir.js";
import { differentiate } from "../graph/autodiff/index.js";
import { foldOutputIdentities } from "../graph/fold-output-identities.js";
import type { TransformerConfig } from "../model/config.js";
import type { ModelContext, ParamSource } from "../model/context.js";
import { buildMaskedLm } from "../model/mlm.js";
import { spladePooling, type SpladePoolingOptions } from "../model/splade-pooling.js";
import { SpladeError } from "../util/errors.js";
import { hashDropout } from "./dropout.js";
import { dropKeyBiases, keyBiasNames } from "./key-bias.js";
import { LOSS_PART_NAMES, spladeLoss, type SpladeLossConfig } from "./losses/splade-loss.js";
import { adamwShared, adamwUpdate, type AdamWOptions, type AdamWShared } from "./optimizer/adamw.js";
import { clipCoefficient } from "./optimizer/clip.js";
import { learningRateGroups, type LearningRateMapping } from "./optimizer/lr-mapping.js";
import type { RouteKind } from "./router-source.js";
import { sparseStaticEmbedding } from "./static-embedding-graph.js";

export interface ParamInfo {
  /** Checkpoint key (also the graph input name). */
  name: string;
  shape: number[];
  /** Weight decay applies (HF Trainer: not to biases and LayerNorm weights). */
  decay: boolean;
  /** Learning-rate group (0: the base learning rate). */
  lrGroup: number;
}

/** The SparseStaticEmbedding route of a Router model. */
export interface StaticRouteGraphOptions {
  /** Parameter (graph input) name of the weight [V]. */
  name: string;
  padId: number;
  /** The weight, when the module is frozen: a constant of the graph, not a parameter. */
  frozenWeight?: Float32Array;
  /**
   * Project the weight onto ≥ 0 after each update (max(w, 0)). Upstream's AdamW leaves it unconstrained; a
   * negative query weight cannot be searched by an index with pruning bounds (ours, OpenSearch rank_features),
   * and opensearch's own trainable-IDF code applies a ReLU to it. The forward stays upstream's, so a saved
   * model encodes the same in sentence-transformers.
   */
  nonNegative?: boolean;
}

export interface StepGraphOptions {
  config: TransformerConfig;
  pooling: SpladePoolingOptions;
  loss: SpladeLossConfig;
  optimizer: AdamWOptions & { maxGradNorm: number };
  /** Columns per row: 2 + number of hard negatives. */
  columns: number;
  mode: "update" | "accumulate";
  /** Whether a gradient accumulator is an input (every micro-batch but the first of an accumulation). */
  accumulated: boolean;
  /** Training-mode dropout with the config's probabilities. */
  dropout: boolean;
  /** Also output the clipped gradients (tests). */
  exposeGradients?: boolean;
  /** Route of each column (default: every column through the MLM). */
  columnRoutes?: readonly RouteKind[];
  /** Required when some column takes the static route. */
  staticRoute?: StaticRouteGraphOptions;
  /** Upstream `learning_rate_mapping`, matched against `upstreamNames` of each parameter. */
  learningRates?: { mapping: LearningRateMapping; upstreamNames: (param: string) => readonly string[] };
}

export interface StepGraph {
  ir: GraphIR;
  params: ParamInfo[];
}

export const COLUMN_INPUTS = { ids: (c: number) => `input_ids/${c}`, mask: (c: number) => `attention_mask/${c}` };
export const SCALAR_INPUTS = ["lambda_document", "lambda_query", "lr", "step_size", "bias_correction2_sqrt", "grad_scale"] as const;
export const STEP_OUTPUTS = { loss: "loss", gradNorm: "grad_norm", parts: LOSS_PART_NAMES } as const;
/** Scalar inputs of learning-rate group g ≥ 1 (group 0 uses `lr` and `step_size`). */
export const GROUP_SCALAR_INPUTS = { lr: (g: number) => `lr/${g}`, stepSize: (g: number) => `step_size/${g}` };
export const STATE_NAMES = {
  m: (p: string) => `m/${p}`,
  v: (p: string) => `v/${p}`,
  acc: (p: string) => `grad_acc/${p}`,
  paramOut: (p: string) => `param_out/${p}`,
  mOut: (p: string) => `m_out/${p}`,
  vOut: (p: string) => `v_out/${p}`,
  accOut: (p: string) => `grad_acc_out/${p}`,
  gradClipped: (p: string) => `grad_clipped/${p}`,
};

/** A ParamSource that declares each checkpoint key once as a float32 graph input and records it. */
function inputParams(g: GraphBuilder, params: ParamInfo[]): ParamSource {
  const seen = new Map<string, V>();
  return (key, shape) => {
    let v = seen.get(key);
    if (v === undefined) {
      v = g.input(key, "float32", shape);
      seen.set(key, v);
      params.push({ name: key, shape: [...shape], decay: true, lrGroup: 0 });
    }
    return v;
  };
}

/** HF get_decay_parameter_names: no decay for biases and for the weights of LayerNorm modules. */
function markDecay(ir: GraphIR, params: ParamInfo[]): void {
  const layerNormParams = new Set<string>();
  for (const n of ir.nodes) if (n.op === "LayerNormalization") n.inputs.slice(1).forEach((i) => layerNormParams.add(i));
  for (const p of params) p.decay = !p.name.endsWith("bias") && !layerNormParams.has(p.name);
}

/** Sets each parameter's learning-rate group; returns the number of groups. */
function assignLearningRates(params: ParamInfo[], o: StepGraphOptions): number {
  if (!o.learningRates) return 1;
  const { groupOf, count } = learningRateGroups(params.map((p) => p.name), o.learningRates.mapping, o.learningRates.upstreamNames);
  for (const p of params) p.lrGroup = groupOf.get(p.name) ?? 0;
  return count;
}

export function buildStepGraph(o: StepGraphOptions): StepGraph {
  const g = new GraphBuilder(`splade-train-${o.mode}`);
  const params: ParamInfo[] = [];
  const param = inputParams(g, params);
  const seed = g.input("dropout_seed", "int64", []);
  const scalars = Object.fromEntries(SCALAR_INPUTS.map((n) => [n, g.input(n, "float32", [])])) as Record<(typeof SCALAR_INPUTS)[number], V>;

  const routes = o.columnRoutes ?? Array.from({ length: o.columns }, () => "mlm" as const);
  if (routes.length !== o.columns) throw new SpladeError("INVALID_ARGUMENT", `training graph: ${routes.length} column routes for ${o.columns} columns`);
  let staticWeight: V | undefined;
  const embeddings: V[] = [];
  for (let c = 0; c < o.columns; c++) {
    const ids = g.input(COLUMN_INPUTS.ids(c), "int64", [`batch`, `tokens_${c}`]);
    const mask = g.input(COLUMN_INPUTS.mask(c), "int64", [`batch`, `tokens_${c}`]);
    if (routes[c] === "static") {
      const s = o.staticRoute;
      if (!s) throw new SpladeError("INVALID_ARGUMENT", "training graph: a column takes the static route but no static route is given");
      const vocab = o.config.vocabSize;
      staticWeight ??= s.frozenWeight ? g.initializer(s.name, { dtype: "float32", dims: [vocab], data: s.frozenWeight }) : param(s.name, [vocab]);
      embeddings.push(sparseStaticEmbedding(g, staticWeight, ids, mask, { vocabSize: vocab, padId: s.padId })); // [B, V]
      continue;
    }
    const ctx: ModelContext = { g, param, kernels: "plain" };
    if (o.dropout) ctx.dropout = hashDropout(g, seed, c);
    const out = buildMaskedLm(ctx, o.config, ids, mask);
    embeddings.push(spladePooling(ctx, o.config, out, mask, o.pooling)); // [B, V]
  }
  const labels = o.loss.base.kind === "margin-mse" ? g.input("labels", "float32", ["batch", o.columns - 2]) : undefined;
  const { loss, parts } = spladeLoss(g, o.loss, { columns: embeddings, lambdaDocument: scalars.lambda_document, lambdaQuery: scalars.lambda_query, labels });
  g.output(loss, STEP_OUTPUTS.loss, "float32", []);
  for (const name of LOSS_PART_NAMES) g.output(parts[name], name, "float32", []);
  if (params.length === 0) throw new SpladeError("INVALID_ARGUMENT", "training graph: nothing to train (every route the columns take is frozen)");
  markDecay(g.ir, params);
  const groupCount = assignLearningRates(params, o);
  // Declared in every variant (like the other scalars), so that one set of feeds serves them all.
  const groupScalars = [{ lr: scalars.lr, stepSize: scalars.step_size }];
  for (let k = 1; k < groupCount; k++) groupScalars.push({ lr: g.input(GROUP_SCALAR_INPUTS.lr(k), "float32", []), stepSize: g.input(GROUP_SCALAR_INPUTS.stepSize(k), "float32", []) });
  const keyBiases = keyBiasNames(o.config);
  const mlmColumns = routes.filter((r) => r === "mlm").length;
  if (dropKeyBiases(g.ir, keyBiases) !== keyBiases.length * mlmColumns) {
    throw new SpladeError("UNSUPPORTED", `training graph: expected one key-bias Add per layer and column (${keyBiases.join(", ")})`);
  }

  const scaled = g.mul(loss, scalars.grad_scale);
  const { gradients, context } = differentiate(g.ir, { loss: scaled.name, wrt: params.map((p) => p.name) });
  const b = context.b; // appends after the backward nodes, with names that cannot clash
  let grads = params.map((p) => ({ name: gradients.get(p.name)! }) as V);
  if (o.accumulated) grads = params.map((p, i) => b.add(b.input(STATE_NAMES.acc(p.name), "float32", p.shape), grads[i]));

  if (o.mode === "accumulate") {
    params.forEach((p, i) => b.output(grads[i], STATE_NAMES.accOut(p.name), "float32", p.shape));
    foldOutputIdentities(g.ir);
    return { ir: g.ir, params };
  }
  const { norm, coef } = clipCoefficient(b, grads, o.optimizer.maxGradNorm);
  b.output(norm, STEP_OUTPUTS.gradNorm, "float32", []);
  // Per learning-rate group, the update's shared scalars, with the clipping coefficient folded into the moment updates.
  const shared = new Map<number, AdamWShared>();
  const sharedFor = (group: number) => {
    if (!shared.has(group)) shared.set(group, adamwShared(b, o.optimizer, { ...groupScalars[group], biasCorrection2Sqrt: scalars.bias_correction2_sqrt }, coef));
    return shared.get(group)!;
  };
  params.forEach((p, i) => {
    const m = b.input(STATE_NAMES.m(p.name), "float32", p.shape);
    const v = b.input(STATE_NAMES.v(p.name), "float32", p.shape);
    const next = adamwUpdate(b, o.optimizer, sharedFor(p.lrGroup), { param: { name: p.name }, grad: grads[i], m, v, decay: p.decay });
    const projected = o.staticRoute?.nonNegative && p.name === o.staticRoute.name ? b.relu(next.param) : next.param;
    b.output(projected, STATE_NAMES.paramOut(p.name), "float32", p.shape);
    b.output(next.m, STATE_NAMES.mOut(p.name), "float32", p.shape);
    b.output(next.v, STATE_NAMES.vOut(p.name), "float32", p.shape);
    if (o.exposeGradients) b.output(b.mul(grads[i], coef), STATE_NAMES.gradClipped(p.name), "float32", p.shape);
  });
  foldOutputIdentities(g.ir);
  return { ir: g.ir, params };
}
