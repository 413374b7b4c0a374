/**
 * `splade serve --index <dir> [--index <dir2> …] [--host 127.0.0.1] [--port 8080] [--threads N]
 *   [--api-key-env NAME] [--protect-reads] [--read-only] [--max-body-bytes N] [--max-k N] [--algorithm bmp|exhaustive]
 *   [--shutdown-timeout-ms N]`
 * The HTTP search service (server/create-server.ts): each index is served under its folder name and encoded
 * with the model its manifest records. Writes need `Authorization: Bearer <key>` when --api-key-env names an
 * environment variable holding the key (reads too with --protect-reads). Prints the address on stderr once
 * listening; SIGTERM or SIGINT shut it down gracefully (in-flight requests finish, a write still running is
 * completed or rolled back, the index locks are released) and it exits 0. A second signal exits at once (130).
 */
import { Command, Option } from "commander";
import { encoderOptionsFromEnv } from "../env-options.js";
import { createServer } from "../../server/create-server.js";
import type { ServerEvent } from "../../server/context.js";
import { SpladeError } from "../../util/errors.js";
import { positiveInteger } from "./encode.js";

interface ServeFlags {
  index: string[];
  host: string;
  port: number;
  threads?: number;
  apiKeyEnv?: string;
  protectReads?: boolean;
  readOnly?: boolean;
  maxBodyBytes?: number;
  maxK?: number;
  algorithm?: "bmp" | "exhaustive";
  shutdownTimeoutMs?: number;
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SpladeError("INVALID_ARGUMENT", `--port: expected 0–65535, got ${value}`);
  return n;
}

function describe(event: ServerEvent): string {
  if (event.kind === "commit") return `${event.index}: ${event.operation} of ${event.documents} document(s) committed in ${(event.seconds * 1000).toFixed(1)} ms`;
  const error = event.error as Error;
  return `error answering ${event.method} ${event.path}: ${error?.stack ?? String(error)}`;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve indexes over HTTP: search (with explanations), encode, live document writes, a search page at /")
    .requiredOption("--index <dir>", "index directory, served under its folder name (repeat for several)", collect)
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("--port <n>", "port (0: any free port)", port, 8080)
    .option("--threads <n>", "onnxruntime threads per SPLADE model (default: all cores)", positiveInteger)
    .option("--api-key-env <name>", "environment variable holding the API key that writes require")
    .option("--protect-reads", "reads require the API key too")
    .option("--read-only", "do not take the index locks; writes answer 403")
    .option("--max-body-bytes <n>", "largest request body (default 4 MiB)", positiveInteger)
    .option("--max-k <n>", "largest k a search may ask for (default 1000)", positiveInteger)
    .addOption(new Option("--algorithm <name>", "exact search algorithm (the same hits; exhaustive can be faster on small indexes)").choices(["bmp", "exhaustive"]))
    .option("--shutdown-timeout-ms <n>", "how long in-flight requests get on shutdown (default 10000)", positiveInteger)
    .option("--quiet", "do not log commits")
    .action(async (flags: ServeFlags) => {
      let apiKey: string | null = null;
      if (flags.apiKeyEnv !== undefined) {
        apiKey = process.env[flags.apiKeyEnv] ?? "";
        if (apiKey === "") throw new SpladeError("INVALID_ARGUMENT", `--api-key-env: the environment variable ${flags.apiKeyEnv} is not set or empty`);
      } else if (flags.protectReads) {
        throw new SpladeError("INVALID_ARGUMENT", "--protect-reads needs --api-key-env");
      }
      const server = await createServer({
        indexes: flags.index,
        apiKey,
        protectReads: flags.protectReads,
        readOnly: flags.readOnly,
        algorithm: flags.algorithm,
        threads: flags.threads,
        encoder: { splade: encoderOptionsFromEnv(process.env) },
        limits: { ...(flags.maxBodyBytes !== undefined ? { maxBodyBytes: flags.maxBodyBytes } : {}), ...(flags.maxK !== undefined ? { maxK: flags.maxK } : {}) },
        shutdownTimeoutMs: flags.shutdownTimeoutMs,
        log: (event) => {
          if (event.kind === "error" || !flags.quiet) process.stderr.write(describe(event) + "\n");
        },
      });
      // Signals are handled from before the address is announced: a client that reads it may signal at once.
      const signalled = new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stderr.write(`splade serve: ${signal}, shutting down\n`);
          process.once(signal, () => process.exit(130));
          resolve();
        };
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      let address: { url: string };
      try {
        address = await server.listen({ host: flags.host, port: flags.port });
      } catch (error) {
        await server.close({ timeoutMs: 0 });
        throw error;
      }
      const served = server.indexes.map((i) => `${i.name}${i.writable ? "" : " (read-only)"}`).join(", ");
      process.stderr.write(`splade serve: listening on ${address.url} (indexes: ${served}; search page at ${address.url}/)\n`);
      await signalled;
      await server.close();
      process.stderr.write("splade serve: stopped\n");
    });
}
