/** `splade serve` in a child process (the real CLI from sources), for shutdown and crash tests. */
import { spawn, type ChildProcess } from "node:child_process";

export interface ServeChild {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the child wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServeChild(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServeChild> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts", "serve", "--port", "0", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`splade serve did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`splade serve exited (code ${code}, signal ${signal}) before listening: ${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr, exited };
}
