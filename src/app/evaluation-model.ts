/**
 * `--model` of `splade eval` → an EvaluationModel: "bm25" (BM25 over BERT WordPiece tokens,
 * bm25-evaluation-model.ts) or a SPLADE model given as a local folder or a Hub id
 * (splade-evaluation-model.ts). Call `release()` when done (SPLADE models hold an onnxruntime session).
 */
import type { HubOptions } from "../hub/index.js";
import { bm25EvaluationModel, type Bm25ModelOptions } from "./bm25-evaluation-model.js";
import type { EvaluationModel } from "./evaluate.js";
import { spladeEvaluationModel } from "./splade-evaluation-model.js";

export interface OpenEvaluationModelOptions {
  readonly hub?: HubOptions;
  readonly bm25?: Bm25ModelOptions;
}

export async function openEvaluationModel(spec: string, options: OpenEvaluationModelOptions = {}): Promise<EvaluationModel> {
  if (spec.toLowerCase() === "bm25") return bm25EvaluationModel(options.bm25);
  return spladeEvaluationModel(spec, options.hub ?? {});
}
