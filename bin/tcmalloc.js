// Runs the commands that hold big tensors (training, encoding, evaluation, index builds) with tcmalloc preloaded
// when Debian's libtcmalloc-minimal4 is installed, as PyTorch and Intel recommend for CPU inference and as the
// benchmarks' PyTorch baseline does (issue #14). With glibc malloc, every tensor above 32 MB (the largest mmap
// threshold glibc allows) is mapped fresh and faulted in page by page each time: onnxruntime's arena extends
// twice in the first two steps of a training run, and each step's parameter and moment outputs land in fresh
// buffers. Measured on a DistilBERT-base step (8 triplets, 32/256 tokens, 2 threads): the first two steps
// 13.5 + 15.7 s with glibc, 10.6 + 7.8 s with tcmalloc; later steps 50–70 k page faults each with glibc, a few
// hundred with tcmalloc. Set SPLADE_TCMALLOC=0 to keep glibc. Linux only; elsewhere nothing changes.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export const TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
const HEAVY = new Set(["train", "encode", "eval", "index", "mine-negatives"]);

/** The LD_PRELOAD value to re-execute with, or null to run in this process. */
export function tcmallocPreload(command, env = process.env, exists = existsSync) {
  if (process.platform !== "linux" || env.SPLADE_TCMALLOC === "0" || !HEAVY.has(command)) return null;
  const preload = env.LD_PRELOAD ?? "";
  if (preload.includes("tcmalloc") || !exists(TCMALLOC)) return null;
  return preload ? `${TCMALLOC}:${preload}` : TCMALLOC;
}

/**
 * Re-runs this process's script with tcmalloc preloaded when `tcmallocPreload` says so, forwarding stdio,
 * signals and the exit code. Returns false (and does nothing) otherwise.
 */
export async function rerunWithTcmalloc(command) {
  const preload = tcmallocPreload(command);
  if (preload === null) return false;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, LD_PRELOAD: preload } });
  // The terminal's Ctrl-C reaches the child directly (same process group), where `splade train` stops cleanly
  // before its next step; passing it on as well would be a second SIGINT, which kills. Others are passed on.
  process.on("SIGINT", () => {});
  for (const s of ["SIGTERM", "SIGHUP"]) process.on(s, () => child.kill(s));
  const [code, signal] = await new Promise((resolve) => child.on("exit", (c, s) => resolve([c, s])));
  if (signal) process.kill(process.pid, signal);
  process.exitCode = code ?? 1;
  return true;
}
