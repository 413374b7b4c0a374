/**
 * A sparse-encoder model (folder or Hub id; SPLADE, inference-free or two-encoder Router, CSR) as a
 * DocumentEncoder, through encoder/SparseEncoder: documents with `encodeDocument`, queries with `encodeQuery`
 * (each with the model's prompts and Router routes, as sentence-transformers' `encode_document` /
 * `encode_query`, which upstream's evaluator calls too). The index and evaluation's exact search score by dot
 * product; a model whose similarity_fn_name is "cosine" (CSR) gets its vectors L2-normalized here, so that dot
 * product is exactly its cosine, and reports name the score "cosine" as upstream does. The SparseEncoder opens a
 * route's onnxruntime session only when a text takes that route: queries of an inference-free model open none.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { SparseEncoder, type FromPretrainedOptions } from "../encoder/index.js";
import type { SparseVector } from "../sparse/vector.js";
import type { DocumentEncoder, EncodeTextsOptions, TokenLookup } from "./document-encoder.js";

function encodeOptions(options: EncodeTextsOptions) {
  return {
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.maxActiveDims !== undefined ? { maxActiveDims: options.maxActiveDims } : {}),
    ...(options.onProgress !== undefined ? { onProgress: ({ done, total }: { done: number; total: number }) => options.onProgress!(done, total) } : {}),
  };
}

/** v / ‖v‖₂ (torch cos_sim normalizes the same way; a zero vector stays zero). */
function l2Normalized(v: SparseVector): SparseVector {
  let sum = 0;
  for (const x of v.values) sum += x * x;
  const norm = Math.sqrt(sum);
  return norm > 0 ? { indices: v.indices, values: v.values.map((x) => x / norm) } : v;
}

/** A CSR model's dimensions are latent features, not tokens. */
const latentDimensions = (encoder: SparseEncoder) => encoder.pipeline.routes.every((r) => r.kind === "csr");

/**
 * Names of the vector's dimensions: the tokens of the first route's tokenizer, or for a CSR model (latent
 * dimensions, no tokens) the dimension number itself, as SparseEncoder.decode names them.
 */
function tokenLookupOf(encoder: SparseEncoder): TokenLookup {
  const vocabSize = encoder.vocabSize;
  if (latentDimensions(encoder)) {
    return { vocabSize, idToToken: (id) => String(id), tokenToId: (token) => (/^\d+$/.test(token) && Number(token) < vocabSize ? Number(token) : undefined) };
  }
  return { vocabSize, idToToken: (id) => encoder.tokenizer.idToToken(id), tokenToId: (token) => encoder.tokenizer.tokenToId(token) };
}

export async function createSpladeEncoder(idOrPath: string, options: FromPretrainedOptions = {}): Promise<DocumentEncoder> {
  const encoder = await SparseEncoder.fromPretrained(idOrPath, options);
  const cosine = encoder.similarityFnName === "cosine";
  const scored = async (vectors: Promise<SparseVector[]>) => (cosine ? (await vectors).map(l2Normalized) : vectors);
  return {
    kind: "splade",
    // A model folder is recorded by its absolute path, so the index finds it from any working folder; a Hub id as typed.
    record: { kind: "splade", model: existsSync(idOrPath) ? resolve(idOrPath) : idOrPath },
    indexSettings: {},
    vocabSize: encoder.vocabSize,
    scoreFunction: encoder.similarityFnName,
    encodeDocuments: (texts, o = {}) => scored(encoder.encodeDocument([...texts], encodeOptions(o))),
    encodeQueries: (texts, o = {}) => scored(encoder.encodeQuery([...texts], encodeOptions(o))),
    tokenLookup: tokenLookupOf(encoder),
    // The query route's own view of the text (lowercasing as the model does), without a prompt.
    ...(latentDimensions(encoder) ? {} : { textTokenIds: (text: string) => encoder.tokenIds([text], { prompt: "" }, "query")[0] }),
    release: () => encoder.release(),
  };
}
