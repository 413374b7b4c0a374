/**
 * A real OpenSearch 2.19 node for tests and benchmarks (test/engines/opensearch-node/): resolves and compiles
 * it when needed (scripts/prepare-opensearch.mjs), starts it on 127.0.0.1 on free ports with a 512 MB heap
 * and a fresh path.home, waits until the cluster is usable, and stops it (SIGTERM, then SIGKILL after 20 s)
 * and removes its home. The node exits by itself when this process dies (its stdin closes).
 * When SPLADE_TEST_OPENSEARCH_URL is set (scripts/run-tests.mjs started one node for the whole run, through
 * opensearch-node-main.ts), that node is returned instead and stop() leaves it running for the other files.
 *
 *   const node = await startOpenSearchNode();   // node.url = "http://127.0.0.1:<port>"
 *   ...
 *   await node.stop();
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- a plain ES module script without type declarations
import { prepareOpenSearchNode } from "../../scripts/prepare-opensearch.mjs";
import { freePort } from "./free-port.js";

export interface OpenSearchNode {
  readonly url: string;
  stop(): Promise<void>;
}

export interface OpenSearchNodeOptions {
  /** JVM heap, e.g. "512m" (default). */
  readonly heap?: string;
  /** Default 10 minutes: a cold start takes 10–20 s, but cpu-quiet (SIGSTOP) or a loaded machine can stretch it. */
  readonly startTimeoutMs?: number;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

export async function startOpenSearchNode(options: OpenSearchNodeOptions = {}): Promise<OpenSearchNode> {
  const shared = process.env.SPLADE_TEST_OPENSEARCH_URL;
  if (shared) return { url: shared, stop: async () => undefined };
  const { lib, classes } = prepareOpenSearchNode() as { lib: string; classes: string };
  const home = mkdtempSync(join(tmpdir(), "splade-opensearch-"));
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  const heap = options.heap ?? "512m";
  const child = spawn("java", [`-Xms${heap}`, `-Xmx${heap}`, "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-cp", `${classes}:${lib}/*`, "OsNode", home, String(httpPort), String(transportPort), "--exit-with-stdin"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 600_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the OpenSearch node exited early:\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`the OpenSearch node did not start in time:\n${output.slice(-4000)}`);
      if (output.includes("READY")) {
        const health = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=5s`).catch(() => null);
        if (health?.ok) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
