/**
 * A local stand-in for the Hugging Face Hub (node:http on 127.0.0.1, a free port), serving folders in the
 * Hub's URL layout, for tests of anything that downloads (hub, encoder loading, NanoBEIR evaluation):
 *
 *   HEAD/GET /{org}/{name}/resolve/{revision}/{file}           model files
 *   HEAD/GET /datasets/{org}/{name}/resolve/{revision}/{file}  dataset files
 *   GET      /cdn/{sha256}                                     LFS content (where LFS files redirect)
 *
 * Answers as the Hub does: `X-Repo-Commit` on every answer about a repository; small files 200 with
 * `ETag: "<git blob sha1>"`; LFS files (.safetensors, .parquet, .onnx, .bin) 302 to an absolute CDN URL
 * with `X-Linked-Etag: "<sha256>"` and `X-Linked-Size`; a missing file 404 `X-Error-Code: EntryNotFound`;
 * an unknown repository 401 `RepositoryNotFound`; an unknown revision 404 `RevisionNotFound`; a renamed
 * repository 307 with a relative Location. Commits are sha1(`{type}:{repo}@{revision}`), see `commitOf`.
 *
 * Usage:
 *   const hub = await startHubServer({ models: { "org/tiny": "test/fixtures/tiny-distilbert-splade" } });
 *   ... downloadFile("org/tiny", "config.json", { endpoint: hub.url, cacheDir }) ...
 *   await hub.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import type { AddressInfo } from "node:net";

/** A folder served at revision "main", or folders per revision name (branch or tag). */
export type ServedRepo = string | Record<string, string>;

export interface HubServerOptions {
  models?: Record<string, ServedRepo>;
  datasets?: Record<string, ServedRepo>;
  /** When set, every /resolve/ request must carry `Authorization: Bearer <token>`, else 403. */
  token?: string;
  /** Old model id → new id: answered with a relative 307, as the Hub does for renamed repositories. */
  renamed?: Record<string, string>;
}

export interface HubServerHit {
  method: string;
  /** Raw path, e.g. `/org/tiny/resolve/main/config.json`. */
  path: string;
  authorization: string | undefined;
}

export interface HubServer {
  /** `http://127.0.0.1:{port}`, for `endpoint`. */
  url: string;
  /** Every request received, in order. */
  hits: HubServerHit[];
  /** The commit hash the server reports for a repository revision. */
  commitOf(repoId: string, revision?: string, type?: "model" | "dataset"): string;
  /** The next GET whose file path ends with `file` sends its headers and `afterBytes` bytes, then drops the connection. */
  interruptNextDownload(file: string, afterBytes: number): void;
  close(): Promise<void>;
}

const LFS_EXTENSIONS = [".safetensors", ".parquet", ".onnx", ".bin"];

function sha1(text: string | Uint8Array): string {
  return createHash("sha1").update(text).digest("hex");
}

/** Git's blob id, which the Hub sends as the ETag of non-LFS files. */
function gitBlobSha1(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

function commitOf(repoId: string, revision = "main", type: "model" | "dataset" = "model"): string {
  return sha1(`${type}:${repoId}@${revision}`);
}

interface ParsedResolve {
  type: "model" | "dataset";
  repoId: string;
  rawRevision: string;
  revision: string;
  rawFile: string;
  file: string;
}

function parseResolvePath(path: string): ParsedResolve | undefined {
  const segments = path.split("/").slice(1);
  const type = segments[0] === "datasets" ? "dataset" : "model";
  if (type === "dataset") segments.shift();
  const at = segments.indexOf("resolve");
  if (at < 1 || at > 2 || segments.length < at + 3) return undefined;
  const rawFile = segments.slice(at + 2).join("/");
  return {
    type,
    repoId: segments.slice(0, at).join("/"),
    rawRevision: segments[at + 1],
    revision: decodeURIComponent(segments[at + 1]),
    rawFile,
    file: segments.slice(at + 2).map(decodeURIComponent).join("/"),
  };
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const hits: HubServerHit[] = [];
  const lfsContent = new Map<string, string>(); // sha256 → file on disk
  let interruption: { file: string; afterBytes: number } | undefined;
  let baseUrl = "";

  function revisionsOf(parsed: ParsedResolve): Record<string, string> | undefined {
    const served = (parsed.type === "model" ? options.models : options.datasets)?.[parsed.repoId];
    return typeof served === "string" ? { main: served } : served;
  }

  function sendContent(req: IncomingMessage, res: ServerResponse, path: string, content: Buffer, headers: Record<string, string>): void {
    res.writeHead(200, { ...headers, "Content-Length": String(content.byteLength), "Content-Type": "application/octet-stream" });
    if (req.method === "HEAD") return void res.end();
    if (interruption !== undefined && path.endsWith(interruption.file)) {
      const cut = content.subarray(0, interruption.afterBytes);
      interruption = undefined;
      res.flushHeaders();
      res.write(cut, () => setTimeout(() => res.socket?.destroy(), 10));
      return;
    }
    res.end(content);
  }

  function handleResolve(req: IncomingMessage, res: ServerResponse, parsed: ParsedResolve): void {
    const newId = parsed.type === "model" ? options.renamed?.[parsed.repoId] : undefined;
    if (newId !== undefined) {
      res.writeHead(307, { Location: `/${newId}/resolve/${parsed.rawRevision}/${parsed.rawFile}` });
      return void res.end();
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(403, { "Content-Type": "text/plain" });
      return void res.end("Forbidden");
    }
    const revisions = revisionsOf(parsed);
    if (revisions === undefined) {
      res.writeHead(401, { "X-Error-Code": "RepositoryNotFound" });
      return void res.end();
    }
    const revision = Object.keys(revisions).find(
      (name) => name === parsed.revision || commitOf(parsed.repoId, name, parsed.type) === parsed.revision,
    );
    if (revision === undefined) {
      res.writeHead(404, { "X-Error-Code": "RevisionNotFound" });
      return void res.end();
    }
    const commit = commitOf(parsed.repoId, revision, parsed.type);
    const root = resolve(revisions[revision]);
    const path = resolve(root, ...parsed.file.split("/"));
    if (!path.startsWith(root + sep) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, { "X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit });
      return void res.end();
    }
    const content = readFileSync(path);
    if (LFS_EXTENSIONS.some((ext) => parsed.file.endsWith(ext))) {
      const sha256 = createHash("sha256").update(content).digest("hex");
      lfsContent.set(sha256, path);
      res.writeHead(302, {
        Location: `${baseUrl}/cdn/${sha256}`,
        "X-Repo-Commit": commit,
        "X-Linked-Etag": `"${sha256}"`,
        "X-Linked-Size": String(content.byteLength),
      });
      return void res.end();
    }
    sendContent(req, res, parsed.file, content, { "X-Repo-Commit": commit, ETag: `"${gitBlobSha1(content)}"` });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    hits.push({ method: req.method ?? "GET", path, authorization: req.headers.authorization });
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    if (cdn !== null && lfsContent.has(cdn[1])) {
      const file = lfsContent.get(cdn[1])!;
      return sendContent(req, res, file, readFileSync(file), { ETag: `"${cdn[1]}"` });
    }
    const parsed = parseResolvePath(path);
    if (parsed === undefined) {
      res.writeHead(404);
      return void res.end();
    }
    handleResolve(req, res, parsed);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    hits,
    commitOf,
    interruptNextDownload(file, afterBytes) {
      interruption = { file, afterBytes };
    },
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((e) => (e ? fail(e) : done()));
      }),
  };
}

/** An http URL on 127.0.0.1 where nothing listens (a port just released), for "unreachable" tests. */
export async function unusedLocalUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}
