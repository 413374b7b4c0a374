/**
 * Runs the training-step graphs (step-graph.ts) in onnxruntime and owns the training state: parameters and
 * Adam moments as Float32Arrays that go into a step as input tensors and come back as its output tensors
 * (onnxruntime-node has no IO binding on CPU; the arrays are handed over whole, never touched per element).
 *
 * Sessions are created lazily per (mode, accumulated) variant, since a run with gradient accumulation needs
 * an "accumulate" graph for the first micro-batches and an "update" graph for the last.
 */
import { serializeModel } from "../graph/onnx-proto.js";
import { GraphSession, ort } from "../graph/session.js";
import { SpladeError } from "../util/errors.js";
import { LOSS_PART_NAMES, type LossPartName } from "./losses/splade-loss.js";
import { buildStepGraph, COLUMN_INPUTS, GROUP_SCALAR_INPUTS, STATE_NAMES, STEP_OUTPUTS, type ParamInfo, type StepGraphOptions } from "./step-graph.js";

/** One tokenized column of a micro-batch: int64 [B, T]. */
export interface TokenizedColumn {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  batchSize: number;
  seqLen: number;
}

export interface MicroBatch {
  columns: TokenizedColumn[];
  /** Teacher margins [B, k] (margin-mse). */
  labels?: Float32Array;
}

export interface StepScalars {
  lr: number;
  stepSize: number;
  biasCorrection2Sqrt: number;
  lambdaDocument: number;
  lambdaQuery: number;
  /** 1 / number of micro-batches of the step. */
  gradScale: number;
  /** In [0, 2³²). */
  dropoutSeed: number;
  /** lr and AdamW step size of learning-rate groups 1, 2, … (optimizer/lr-mapping.ts), in order. */
  groups?: ReadonlyArray<{ lr: number; stepSize: number }>;
}

export type LossParts = Record<"loss" | LossPartName, number>;

export interface UpdateResult extends LossParts {
  gradNorm: number;
  /** Clipped gradients, when the graph was built with exposeGradients. */
  gradients?: Map<string, Float32Array>;
}

export interface TrainingTensors {
  params: Map<string, Float32Array>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

type Variant = "accumulate-first" | "accumulate" | "update-first" | "update";

export class StepRunner {
  private readonly sessions = new Map<Variant, Promise<GraphSession>>();
  private accumulator: Map<string, Float32Array> | null = null;
  readonly params: ParamInfo[];

  private constructor(
    private readonly options: Omit<StepGraphOptions, "mode" | "accumulated">,
    readonly state: TrainingTensors,
    private readonly sessionOptions: { threads?: number; profileFilePrefix?: string },
  ) {
    this.params = buildStepGraph({ ...options, mode: "accumulate", accumulated: false }).params;
  }

  /**
   * `load(name, shape)` supplies each parameter's initial value; moments start at zero unless `moments`
   * (resume) provides them.
   */
  static create(
    options: Omit<StepGraphOptions, "mode" | "accumulated">,
    load: (name: string, shape: number[]) => Float32Array,
    settings: {
      threads?: number;
      moments?: { m: Map<string, Float32Array>; v: Map<string, Float32Array> };
      /** onnxruntime's per-node profile of each step graph (SessionOptions.profileFilePrefix; benchmarks). */
      profileFilePrefix?: string;
    } = {},
  ): StepRunner {
    const state: TrainingTensors = { params: new Map(), m: new Map(), v: new Map() };
    const runner = new StepRunner(options, state, { threads: settings.threads, profileFilePrefix: settings.profileFilePrefix });
    for (const p of runner.params) {
      const size = p.shape.reduce((a, b) => a * b, 1);
      state.params.set(p.name, Float32Array.from(load(p.name, p.shape)));
      state.m.set(p.name, settings.moments?.m.get(p.name) ?? new Float32Array(size));
      state.v.set(p.name, settings.moments?.v.get(p.name) ?? new Float32Array(size));
      if (state.m.get(p.name)!.length !== size || state.v.get(p.name)!.length !== size) {
        throw new SpladeError("INVALID_ARGUMENT", `optimizer state for '${p.name}' has the wrong size (expected ${size})`);
      }
    }
    return runner;
  }

  private session(variant: Variant): Promise<GraphSession> {
    let s = this.sessions.get(variant);
    if (!s) {
      const mode = variant.startsWith("update") ? "update" : "accumulate";
      const { ir } = buildStepGraph({ ...this.options, mode, accumulated: !variant.endsWith("first") });
      s = GraphSession.create(serializeModel(ir), this.sessionOptions);
      this.sessions.set(variant, s);
    }
    return s;
  }

  private feeds(batch: MicroBatch, s: StepScalars): Record<string, ort.Tensor> {
    const f: Record<string, ort.Tensor> = {};
    const scalar = (x: number) => new ort.Tensor("float32", Float32Array.of(x), []);
    batch.columns.forEach((col, c) => {
      f[COLUMN_INPUTS.ids(c)] = new ort.Tensor("int64", col.inputIds, [col.batchSize, col.seqLen]);
      f[COLUMN_INPUTS.mask(c)] = new ort.Tensor("int64", col.attentionMask, [col.batchSize, col.seqLen]);
    });
    if (batch.labels) f.labels = new ort.Tensor("float32", batch.labels, [batch.columns[0].batchSize, batch.columns.length - 2]);
    f.lambda_document = scalar(s.lambdaDocument);
    f.lambda_query = scalar(s.lambdaQuery);
    f.lr = scalar(s.lr);
    f.step_size = scalar(s.stepSize);
    f.bias_correction2_sqrt = scalar(s.biasCorrection2Sqrt);
    f.grad_scale = scalar(s.gradScale);
    f.dropout_seed = new ort.Tensor("int64", BigInt64Array.of(BigInt(s.dropoutSeed)), []);
    s.groups?.forEach((group, i) => {
      f[GROUP_SCALAR_INPUTS.lr(i + 1)] = scalar(group.lr);
      f[GROUP_SCALAR_INPUTS.stepSize(i + 1)] = scalar(group.stepSize);
    });
    for (const p of this.params) f[p.name] = new ort.Tensor("float32", this.state.params.get(p.name)!, p.shape);
    if (this.accumulator) for (const p of this.params) f[STATE_NAMES.acc(p.name)] = new ort.Tensor("float32", this.accumulator.get(p.name)!, p.shape);
    return f;
  }

  private checkColumns(batch: MicroBatch): void {
    if (batch.columns.length !== this.options.columns) {
      throw new SpladeError("INVALID_ARGUMENT", `a micro-batch has ${batch.columns.length} columns, the step graph was built for ${this.options.columns}`);
    }
  }

  private static parts(out: Record<string, ort.Tensor>): LossParts {
    const read = (n: string) => Number((out[n].data as Float32Array)[0]);
    return { loss: read(STEP_OUTPUTS.loss), base_loss: read(LOSS_PART_NAMES[0]), document_regularizer_loss: read(LOSS_PART_NAMES[1]), query_regularizer_loss: read(LOSS_PART_NAMES[2]) };
  }

  /**
   * Builds the step graph of a step without accumulation and creates its session now, instead of inside the
   * first update() (about 2.5 s at DistilBERT-base size: graph build, serialization, onnxruntime's session
   * initialization).
   */
  async prepare(): Promise<void> {
    await this.session("update-first");
  }

  /** Forward + backward of one micro-batch; adds grad_scale · ∇ into the accumulator. */
  async accumulate(batch: MicroBatch, s: StepScalars): Promise<LossParts> {
    this.checkColumns(batch);
    const session = await this.session(this.accumulator ? "accumulate" : "accumulate-first");
    const out = await session.run(this.feeds(batch, s));
    this.accumulator = new Map(this.params.map((p) => [p.name, out[STATE_NAMES.accOut(p.name)].data as Float32Array]));
    return StepRunner.parts(out);
  }

  /** Forward + backward of the last micro-batch, clipping and the AdamW update. */
  async update(batch: MicroBatch, s: StepScalars): Promise<UpdateResult> {
    this.checkColumns(batch);
    const session = await this.session(this.accumulator ? "update" : "update-first");
    const feeds = this.feeds(batch, s);
    for (const p of this.params) {
      feeds[STATE_NAMES.m(p.name)] = new ort.Tensor("float32", this.state.m.get(p.name)!, p.shape);
      feeds[STATE_NAMES.v(p.name)] = new ort.Tensor("float32", this.state.v.get(p.name)!, p.shape);
    }
    const out = await session.run(feeds);
    this.accumulator = null;
    for (const p of this.params) {
      this.state.params.set(p.name, out[STATE_NAMES.paramOut(p.name)].data as Float32Array);
      this.state.m.set(p.name, out[STATE_NAMES.mOut(p.name)].data as Float32Array);
      this.state.v.set(p.name, out[STATE_NAMES.vOut(p.name)].data as Float32Array);
    }
    const result: UpdateResult = { ...StepRunner.parts(out), gradNorm: Number((out[STEP_OUTPUTS.gradNorm].data as Float32Array)[0]) };
    if (this.options.exposeGradients) {
      result.gradients = new Map(this.params.map((p) => [p.name, out[STATE_NAMES.gradClipped(p.name)].data as Float32Array]));
    }
    return result;
  }

  async release(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}
