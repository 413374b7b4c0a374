/**
 * The one place where the API's request and response shapes live. Requests are validated against these
 * schemas (routes/*.ts, through @hono/zod-openapi) and GET /openapi.json is generated from them, so the
 * document cannot drift from what the server accepts. Limits come from the server's options, so the
 * published schema states the limits in force. Request objects are strict: an unknown (misspelt) field is an
 * error naming it, never silently ignored.
 */
import { z } from "@hono/zod-openapi";
import { MAX_TERM_ID_EXCLUSIVE } from "../index/defaults.js";
import type { ServerLimits } from "./defaults.js";

export function apiSchemas(limits: ServerLimits) {
  const ErrorBody = z
    .object({
      error: z.object({
        code: z.string().openapi({ example: "INVALID_REQUEST" }),
        message: z.string().openapi({ example: "k: too big: expected number to be <=1000" }),
      }),
    })
    .openapi("Error");

  const SparseVectorJson = z
    .strictObject({
      indices: z.array(z.number().int().min(0).max(MAX_TERM_ID_EXCLUSIVE - 1)).max(limits.maxVectorTerms).describe("term ids, strictly ascending"),
      values: z.array(z.number().min(0)).max(limits.maxVectorTerms).describe("non-negative weights, one per index"),
    })
    .superRefine((v, ctx) => {
      if (v.indices.length !== v.values.length) {
        ctx.addIssue({ code: "custom", path: ["values"], message: `has ${v.values.length} entries but indices has ${v.indices.length}` });
        return;
      }
      for (let i = 1; i < v.indices.length; i++) {
        if (v.indices[i] <= v.indices[i - 1]) {
          ctx.addIssue({ code: "custom", path: ["indices", i], message: `term ids must be strictly ascending (${v.indices[i - 1]} then ${v.indices[i]})` });
          return;
        }
      }
    })
    .openapi("SparseVector", { description: "A sparse vector in the index's term space (BM25 indexes: term counts)." });

  const QueryText = z.string().min(1).max(10_000);
  const QueryInput = z
    .strictObject({ query: QueryText.optional(), vector: SparseVectorJson.optional() })
    .refine((q) => (q.query === undefined) !== (q.vector === undefined), { message: "give exactly one of query or vector" })
    .openapi("QueryInput");

  const SearchRequest = z
    .strictObject({
      query: QueryText.optional().describe("query text, encoded with each index's model"),
      vector: SparseVectorJson.optional().describe("a query vector given directly"),
      queries: z.array(QueryInput).min(1).max(limits.maxQueries).optional().describe("several queries in one request"),
      k: z.number().int().min(1).max(limits.maxK).default(10),
      indexes: z.array(z.string().min(1)).min(1).optional().describe("served index names (default: all)"),
      fusion: z.enum(["rrf"]).optional().describe("how several indexes are combined (reciprocal-rank fusion, the default)"),
      rrfK: z.number().min(0).max(1e6).optional().describe("RRF constant (default 60)"),
      explain: z.boolean().default(false).describe("add the query's vector and each hit's term contributions"),
      stored: z.boolean().default(true).describe("return each hit's stored title, text and payload (false: ids and scores only)"),
    })
    .superRefine((r, ctx) => {
      const given = [r.query, r.vector, r.queries].filter((x) => x !== undefined).length;
      if (given !== 1) ctx.addIssue({ code: "custom", path: [], message: "give exactly one of query, vector or queries" });
    })
    .openapi("SearchRequest");

  const QueryTerm = z.object({
    token: z.string(),
    tokenId: z.number().int(),
    weight: z.number().describe("the weight as scored (BM25: count · idf)"),
    expansion: z.boolean().describe("absent from the query text's own tokens"),
  });
  const QueryVector = z.object({ index: z.string(), terms: z.array(QueryTerm) }).openapi("QueryVector");
  const TermContribution = z
    .object({
      token: z.string(),
      tokenId: z.number().int(),
      queryWeight: z.number(),
      documentWeight: z.number().describe("the stored impact (BM25: the length-normalised term frequency)"),
      contribution: z.number().describe("queryWeight · documentWeight; a hit's contributions sum to its score in that index"),
      expansion: z.boolean(),
    })
    .openapi("TermContribution");
  const HitExplanation = z
    .object({ index: z.string(), rank: z.number().int(), score: z.number(), terms: z.array(TermContribution) })
    .openapi("HitExplanation");
  const Hit = z
    .object({
      id: z.string(),
      score: z.number().describe("dot product (one index) or RRF score (several)"),
      title: z.string().optional(),
      text: z.string().optional(),
      payload: z.unknown().optional(),
      explanation: z.array(HitExplanation).optional().describe("per index the hit came from: its rank, score and term contributions"),
    })
    .openapi("Hit");
  const QueryResult = z.object({ hits: z.array(Hit), queryVectors: z.array(QueryVector).optional() });
  const Generations = z.record(z.string(), z.number().int()).describe("index generation each answer was read from");
  const SearchResponse = z
    .union([
      QueryResult.extend({ tookMs: z.number(), generations: Generations }),
      z.object({ results: z.array(QueryResult), tookMs: z.number(), generations: Generations }),
    ])
    .openapi("SearchResponse", { description: "`hits` for query/vector, `results` (in order) for queries" });

  const EncodeRequest = z
    .strictObject({
      texts: z.array(z.string().max(100_000)).min(1).max(limits.maxTexts),
      task: z.enum(["query", "document"]).default("query"),
      maxActiveDims: z.number().int().min(1).optional().describe("keep the n largest weights (SPLADE models)"),
      format: z.enum(["sparse", "tokens"]).default("sparse"),
      index: z.string().min(1).optional().describe("whose model encodes (default: the first served index)"),
    })
    .openapi("EncodeRequest");
  const TokenWeight = z.object({ token: z.string(), tokenId: z.number().int(), weight: z.number() });
  const EncodeResponse = z
    .object({
      index: z.string(),
      model: z.string(),
      vectors: z.array(z.union([z.object({ indices: z.array(z.number().int()), values: z.array(z.number()) }), z.object({ tokens: z.array(TokenWeight) })])),
      tookMs: z.number(),
    })
    .openapi("EncodeResponse");

  const DocumentId = z.string().min(1).max(limits.maxIdLength);
  const DocumentInput = z
    .strictObject({
      id: DocumentId,
      text: z.string().describe("encoded (after the title, when there is one) and stored"),
      title: z.string().optional(),
      payload: z.unknown().optional().describe("any JSON, stored and returned with the document"),
    })
    .openapi("DocumentInput");
  const WriteRequest = z
    .strictObject({ documents: z.array(DocumentInput).min(1).max(limits.maxDocuments) })
    .superRefine((r, ctx) => {
      const seen = new Set<string>();
      r.documents.forEach((d, i) => {
        if (seen.has(d.id)) ctx.addIssue({ code: "custom", path: ["documents", i, "id"], message: `duplicate id ${JSON.stringify(d.id)} in this request` });
        seen.add(d.id);
      });
    })
    .openapi("WriteRequest");
  const WriteResponse = z
    .object({ index: z.string(), generation: z.number().int(), added: z.number().int(), tookMs: z.number() })
    .openapi("WriteResponse", { description: "Sent once the documents are fsynced and committed." });
  const DeleteResponse = z
    .object({ index: z.string(), generation: z.number().int(), deleted: z.string(), tookMs: z.number() })
    .openapi("DeleteResponse");
  const StoredDocument = z
    .object({ index: z.string(), id: z.string(), title: z.string().optional(), text: z.string().optional(), payload: z.unknown().optional() })
    .openapi("Document");
  const IndexParams = z.object({ name: z.string().openapi({ param: { name: "name", in: "path" } }) });
  const DocumentParams = IndexParams.extend({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

  const IndexInfo = z
    .object({
      name: z.string(),
      documents: z.number().int(),
      deleted: z.number().int(),
      segments: z.number().int(),
      generation: z.number().int(),
      model: z.object({ kind: z.string(), name: z.string() }),
      writable: z.boolean(),
    })
    .openapi("IndexInfo");
  const IndexList = z.object({ indexes: z.array(IndexInfo) }).openapi("IndexList");
  const Health = z
    .object({ status: z.enum(["ok", "shutting-down"]), indexes: z.array(z.object({ name: z.string(), documents: z.number().int(), generation: z.number().int() })) })
    .openapi("Health");

  return {
    ErrorBody,
    SparseVectorJson,
    SearchRequest,
    SearchResponse,
    EncodeRequest,
    EncodeResponse,
    WriteRequest,
    WriteResponse,
    DeleteResponse,
    StoredDocument,
    IndexParams,
    DocumentParams,
    IndexInfo,
    IndexList,
    Health,
  };
}

export type ApiSchemas = ReturnType<typeof apiSchemas>;
export type SearchRequestBody = z.infer<ApiSchemas["SearchRequest"]>;
export type SparseVectorBody = z.infer<ApiSchemas["SparseVectorJson"]>;
export type SearchResponseBody = z.infer<ApiSchemas["SearchResponse"]>;
export type HitBody = z.infer<ApiSchemas["SearchResponse"]> extends infer R ? (R extends { hits: Array<infer H> } ? H : never) : never;
export type DocumentInputBody = z.infer<ApiSchemas["WriteRequest"]>["documents"][number];
