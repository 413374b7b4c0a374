/** Runs the `splade` CLI from sources in a child process (e2e tests). */
import { spawn, spawnSync } from "node:child_process";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ENTRY = ["--import", "tsx", "src/cli/run.ts"];

/** Asynchronous: the test's own event loop keeps running (needed when the test also serves HTTP). */
export function splade(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...ENTRY, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function spladeSync(args: string[]): CliResult {
  const r = spawnSync(process.execPath, [...ENTRY, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
