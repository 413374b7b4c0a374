/**
 * Runs serialized graphs with onnxruntime-node. One place for session options (threads, optimization level)
 * and for turning runtime failures into SpladeError("RUNTIME").
 */
import * as ort from "onnxruntime-node";
import { cpus } from "node:os";
import { SpladeError } from "../util/errors.js";
import type { ExternalFile } from "./onnx-proto.js";

export interface SessionOptions {
  /** Intra-op threads; default: all cores (os.cpus().length). */
  threads?: number;
  /** onnxruntime graph optimization level; default "all". */
  optimization?: "disabled" | "basic" | "extended" | "all";
  /** Also write the optimized graph to this file, in onnxruntime's ORT format (see ortFormat). */
  saveOptimized?: string;
  /**
   * `model` holds an ORT-format graph (as saveOptimized writes it): the session reads it, initializers
   * included, in place instead of copying it. The bytes are kept referenced for the session's lifetime.
   */
  ortFormat?: boolean;
  /**
   * In-memory external-data files the model's initializers refer to (onnx-proto.ts serializeModelExternal).
   * onnxruntime copies what it needs out of them while it creates the session (AddExternalInitializersFromFilesInMemory;
   * test/graph/external-data.test.ts checks it), so they may be reused or released once create() resolves.
   */
  externalData?: ExternalFile[];
  /**
   * Turn on onnxruntime's profiler: every run's nodes, with their op type, shapes and microseconds, go to a
   * JSON trace (Chrome tracing format) named `<prefix>_<date>.json`, written when the session is released.
   */
  profileFilePrefix?: string;
}

export type Feeds = Record<string, ort.Tensor>;

/**
 * The optimization level of saved graphs (saveOptimized). A saved graph is reused wherever this CPU's build
 * runs: "extended" leaves out level-3 layout rewrites (NCHWc convolutions, none in our graphs) that
 * onnxruntime ties to the exact hardware.
 */
export const SAVED_GRAPH_LEVEL = "extended";

export class GraphSession {
  private constructor(
    readonly session: ort.InferenceSession,
    /** The ORT-format bytes a session reads in place (kept alive with it). */
    private readonly modelBytes?: Uint8Array,
  ) {}

  static async create(model: Uint8Array, options: SessionOptions = {}): Promise<GraphSession> {
    const session: Record<string, string> = {};
    if (options.saveOptimized) session.save_model_format = "ORT";
    if (options.ortFormat) Object.assign(session, { use_ort_model_bytes_directly: "1", use_ort_model_bytes_for_initializers: "1" });
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads ?? cpus().length,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: options.optimization ?? (options.saveOptimized ? SAVED_GRAPH_LEVEL : "all"),
      logSeverityLevel: 3, // library code never prints: onnxruntime's warnings stay out of the caller's stderr
      extra: { session },
    };
    if (options.saveOptimized) sessionOptions.optimizedModelFilePath = options.saveOptimized;
    if (options.externalData?.length) sessionOptions.externalData = options.externalData;
    if (options.profileFilePrefix) {
      sessionOptions.enableProfiling = true;
      sessionOptions.profileFilePrefix = options.profileFilePrefix;
    }
    try {
      const created = await ort.InferenceSession.create(model, sessionOptions);
      return new GraphSession(created, options.ortFormat ? model : undefined);
    } catch (cause) {
      throw new SpladeError("RUNTIME", `onnxruntime could not load the generated graph: ${(cause as Error).message}`, { cause });
    }
  }

  async run(feeds: Feeds, outputs?: string[]): Promise<Record<string, ort.Tensor>> {
    try {
      return (await (outputs ? this.session.run(feeds, outputs) : this.session.run(feeds))) as Record<string, ort.Tensor>;
    } catch (cause) {
      throw new SpladeError("RUNTIME", `onnxruntime failed to run the graph: ${(cause as Error).message}`, { cause });
    }
  }

  async release(): Promise<void> {
    await this.session.release();
    void this.modelBytes; // read here so the bytes provably outlive the session that reads them in place
  }
}

export { ort };
