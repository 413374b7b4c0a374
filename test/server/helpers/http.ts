/** Real HTTP against a server on 127.0.0.1: a started createServer, and a small JSON client. */
import { createServer, type CreateServerOptions, type SpladeServer } from "../../../src/server/create-server.js";

export interface Started {
  readonly server: SpladeServer;
  readonly url: string;
}

/** Starts a server on a free port of 127.0.0.1, closed when the test ends. */
export async function startServer(t: { after(fn: () => Promise<void> | void): void }, options: CreateServerOptions): Promise<Started> {
  const server = await createServer(options);
  t.after(() => server.close({ timeoutMs: 2000 }));
  const { url } = await server.listen({ host: "127.0.0.1", port: 0 });
  return { server, url };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly text: string;
}

export async function call(url: string, method: string, path: string, options: { json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.json !== undefined ? { "content-type": "application/json" } : {}), ...options.headers };
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
  const response = await fetch(url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const post = (url: string, path: string, json: unknown, headers?: Record<string, string>) => call(url, "POST", path, { json, headers });
export const get = (url: string, path: string, headers?: Record<string, string>) => call(url, "GET", path, { headers });
