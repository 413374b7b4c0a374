/**
 * RouteEncoder: texts → sparse vectors through one route of a model (pipeline.ts). Two implementations:
 * a static lookup (static-route.ts, no onnxruntime) and a graph run in onnxruntime (graph-route.ts, SPLADE or
 * CSR). SparseEncoder creates each route's encoder the first time a text takes that route, so a model whose
 * queries are inference-free opens no session until a document is encoded.
 */
import type { SparseVector } from "../sparse/vector.js";
import type { BertTokenizer } from "../tokenizer/index.js";
import type { Route } from "./pipeline.js";

export interface RouteEncodeOptions {
  /** The prompt, prepended to every text ("" for none). */
  prompt: string;
  batchSize: number;
  /** Keep only the k largest weights (a CSR route keeps k latents; default its SparseAutoEncoder's k). */
  maxActiveDims?: number;
  /** Texts done so far in this call. */
  onProgress?: (done: number) => void;
}

export interface RouteEncoder {
  readonly route: Route;
  /** The route's input module's tokenizer. */
  readonly tokenizer: BertTokenizer;
  /** Whether an onnxruntime session has been created for this route. */
  readonly hasSession: boolean;
  /** The token ids the route's input module sees for each text (prompt, strip/lowercase and truncation applied). */
  tokenIds(texts: readonly string[], prompt: string): number[][];
  /** One vector per text, in input order. */
  encode(texts: readonly string[], options: RouteEncodeOptions): Promise<SparseVector[]>;
  release(): Promise<void>;
}
