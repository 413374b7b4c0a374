/** POST /encode: texts to sparse vectors (or tokens and weights) with a served index's model. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServerContext, ServerEnv } from "../context.js";
import { servedIndex } from "../context.js";
import { addRoute } from "../route.js";
import { jsonBody } from "../body.js";
import { ApiError } from "../errors.js";
import { dimensionName } from "../../app/explain.js";

export function encodeRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  const S = ctx.schemas;
  addRoute(app, ctx, {
    method: "post",
    path: "/encode",
    access: "read",
    summary: "Encode texts with a served index's model",
    description: "`task` picks the model's query or document prompt. BM25 models give term counts. `tokens` lists each vector's tokens by weight.",
    request: { body: { required: true, content: { "application/json": { schema: S.EncodeRequest } } } },
    responses: { 200: { description: "One vector per text, in order", content: { "application/json": { schema: S.EncodeResponse } } } },
    handler: async (c) => {
      const started = performance.now();
      const body = await jsonBody(c, S.EncodeRequest, ctx.limits.maxBodyBytes);
      const served = body.index === undefined ? ctx.indexes[0] : servedIndex(ctx, body.index, "index");
      const encoder = served.lane.encoder;
      if (body.maxActiveDims !== undefined && encoder.kind === "bm25") {
        throw new ApiError("INVALID_REQUEST", `maxActiveDims: applies to SPLADE models; index ${served.name} uses bm25 (term counts)`);
      }
      const vectors = await served.lane.encode(body.task, body.texts, { maxActiveDims: body.maxActiveDims });
      const token = (id: number) => dimensionName(encoder.tokenLookup, id);
      const out =
        body.format === "sparse"
          ? vectors.map((v) => ({ indices: Array.from(v.indices), values: Array.from(v.values) }))
          : vectors.map((v) => ({
              tokens: Array.from(v.indices, (id, i) => ({ token: token(id), tokenId: id, weight: v.values[i] })).sort((a, b) => b.weight - a.weight || a.tokenId - b.tokenId),
            }));
      return c.json({ index: served.name, model: served.modelName, vectors: out, tookMs: performance.now() - started });
    },
  });
}
