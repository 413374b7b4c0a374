/**
 * Starts pglite-server-main.ts (PGlite + pgvector over the Postgres wire protocol) in a child process on a
 * free port of 127.0.0.1 and stops it. `url` is what `pg` and `splade --url` take.
 *
 *   const pg = await startPgliteServer();   // pg.url = "postgres://postgres@127.0.0.1:<port>/postgres"
 *   await pg.stop();
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port.js";

export interface PgliteServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

export async function startPgliteServer(): Promise<PgliteServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/pglite-server-main.ts", String(port)], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      output += d;
      if (output.includes("READY")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the PGlite server exited (${code}):\n${output.slice(-4000)}`)));
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited(child);
        clearTimeout(timer);
      }
    },
  };
}
