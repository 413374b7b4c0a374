/**
 * Document writes, reads and deletes on a served index. A write answers 200 only after its transaction is
 * durable (commit-queue.ts); its documents are encoded first, outside the transaction, with the index's model.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { IndexDocument } from "../../index/segment-builder.js";
import type { ServerContext, ServerEnv } from "../context.js";
import { servedIndex } from "../context.js";
import { addRoute } from "../route.js";
import { jsonBody } from "../body.js";
import { ApiError } from "../errors.js";
import { findOrdinal } from "../id-lookup.js";
import { encodedText, fromStoredPayload, toStoredPayload } from "../stored-document.js";
import type { ServedIndex } from "../served-index.js";

function writableIndex(ctx: ServerContext, c: Context): ServedIndex {
  const served = servedIndex(ctx, c.req.param("name")!, "name");
  if (!served.writable) throw new ApiError("READ_ONLY", `index ${served.name} is served read-only`);
  return served;
}

export function documentRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  const S = ctx.schemas;
  addRoute(app, ctx, {
    method: "post",
    path: "/indexes/{name}/documents",
    access: "write",
    summary: "Add documents (answered once durable)",
    description:
      "Encodes the documents with the index's model (title and text joined as `title text` when there is a title) and commits them " +
      "as one transaction through the same atomic path as `splade index add`: the answer comes after the commit is fsynced, and " +
      "searches see the whole batch or none of it. An id already in the index is 409 (delete it first).",
    request: { params: S.IndexParams, body: { required: true, content: { "application/json": { schema: S.WriteRequest } } } },
    responses: {
      200: { description: "Committed", content: { "application/json": { schema: S.WriteResponse } } },
      409: { description: "An id is already in the index", content: { "application/json": { schema: S.ErrorBody } } },
    },
    handler: async (c) => {
      const started = performance.now();
      const served = writableIndex(ctx, c);
      const body = await jsonBody(c, S.WriteRequest, ctx.limits.maxBodyBytes);
      const snapshot = served.snapshot;
      body.documents.forEach((d, i) => {
        if (findOrdinal(snapshot, d.id) >= 0) throw new ApiError("CONFLICT", `documents[${i}].id: ${JSON.stringify(d.id)} is already in the index (delete it first)`);
      });
      const vectors = await served.lane.encode("document", body.documents.map(encodedText));
      const documents: IndexDocument[] = body.documents.map((d, i) => ({ id: d.id, vector: vectors[i], payload: toStoredPayload(d) }));
      const { generation } = await served.commits.add(documents);
      return c.json({ index: served.name, generation, added: documents.length, tookMs: performance.now() - started });
    },
  });

  addRoute(app, ctx, {
    method: "get",
    path: "/indexes/{name}/documents/{id}",
    access: "read",
    summary: "Read a stored document",
    request: { params: S.DocumentParams },
    responses: { 200: { description: "The document as stored", content: { "application/json": { schema: S.StoredDocument } } } },
    handler: (c) => {
      const served = servedIndex(ctx, c.req.param("name")!, "name");
      const id = c.req.param("id")!;
      const snapshot = served.snapshot;
      const ordinal = findOrdinal(snapshot, id);
      if (ordinal < 0) throw new ApiError("NOT_FOUND", `id: no document ${JSON.stringify(id)} in index ${served.name}`);
      return c.json({ index: served.name, id, ...fromStoredPayload(snapshot.document(ordinal).payload) });
    },
  });

  addRoute(app, ctx, {
    method: "delete",
    path: "/indexes/{name}/documents/{id}",
    access: "write",
    summary: "Delete a document (answered once durable)",
    request: { params: S.DocumentParams },
    responses: { 200: { description: "Committed", content: { "application/json": { schema: S.DeleteResponse } } } },
    handler: async (c) => {
      const started = performance.now();
      const served = writableIndex(ctx, c);
      const id = c.req.param("id")!;
      if (served.ordinalOf(id) < 0) throw new ApiError("NOT_FOUND", `id: no document ${JSON.stringify(id)} in index ${served.name}`);
      const { generation } = await served.commits.delete(id);
      return c.json({ index: served.name, generation, deleted: id, tookMs: performance.now() - started });
    },
  });
}
