/**
 * Runs serialized graphs with onnxruntime-node. One place for session options (threads, optimization level)
 * and for turning runtime failures into SpladeError("RUNTIME").
 */
import * as ort from "onnxruntime-node";
import { cpus } from "node:os";
import { SpladeError } from "../util/errors.js";

export interface SessionOptions {
  /** Intra-op threads; default: all cores (os.cpus().length). */
  threads?: number;
  /** onnxruntime graph optimization level; default "all". */
  optimization?: "disabled" | "basic" | "extended" | "all";
}

export type Feeds = Record<string, ort.Tensor>;

export class GraphSession {
  private constructor(readonly session: ort.InferenceSession) {}

  static async create(model: Uint8Array, options: SessionOptions = {}): Promise<GraphSession> {
    try {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: options.threads ?? cpus().length,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: options.optimization ?? "all",
      });
      return new GraphSession(session);
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
  }
}

export { ort };
