/**
 * A reverse proxy on 127.0.0.1 in front of a real engine (an OpenSearch node), for the failures a live
 * engine does not produce on demand: each request is forwarded, answered by the proxy (429, 503, 401 as an
 * authenticating gateway would), held forever (a hung server), or forwarded with its answer withheld (the
 * engine applied the request, the client never hears back). `decide` sees each request in arrival order.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyDecision =
  | { readonly action: "forward" }
  | { readonly action: "respond"; readonly status: number; readonly body?: string }
  | { readonly action: "hold" }
  | { readonly action: "forward-then-hold" };

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  /** 1-based number of this request. */
  readonly number: number;
}

export interface HttpProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHttpProxy(target: string, decide: (request: ProxiedRequest) => ProxyDecision): Promise<HttpProxy> {
  const upstream = new URL(target);
  let number = 0;
  const held: ServerResponse[] = [];
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse | null) => {
    const headers = { ...req.headers, host: upstream.host };
    delete headers.authorization;
    const out = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (c) => chunks.push(c));
      answer.on("end", () => {
        if (res === null) return;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    out.on("error", () => res?.destroy());
    out.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const decision = decide({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, number: ++number });
      const body = Buffer.concat(chunks);
      if (decision.action === "forward") return forward(req, body, res);
      if (decision.action === "respond") {
        res.writeHead(decision.status, { "content-type": "application/json" });
        return void res.end(decision.body ?? JSON.stringify({ error: { type: "proxy", reason: `status ${decision.status} from the test proxy` }, status: decision.status }));
      }
      held.push(res);
      if (decision.action === "forward-then-hold") forward(req, body, null);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
