/**
 * The PyTorch baseline of the benchmarks: ../shared/bench/torch_baseline.py (a path relative to the repository
 * root, as every path to ../shared), run with Debian's /usr/bin/python3. It re-executes itself with tcmalloc
 * preloaded when libtcmalloc-minimal4 is installed and reports its allocator. With glibc malloc PyTorch faults
 * in fresh gigabyte tensors every batch on these VMs and runs 2–5× slower than it can (issue #14), so a ratio
 * against that baseline flatters us: the benchmarks refuse it and say how to install the fair one.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** ../shared from the repository root. */
export const SHARED = relative(process.cwd(), join(REPO_ROOT, "..", "shared")) || ".";
export const TORCH_BASELINE = join(SHARED, "bench", "torch_baseline.py");
const PYTHON = "/usr/bin/python3";
const INSTALL = "apt-get update && apt-get install -y python3-torch python3-numpy libtcmalloc-minimal4";

export interface BaselineResult {
  /** The script's JSON line: mode, timings, torch version, threads, allocator, … */
  json: Record<string, unknown>;
  allocator: string;
}

/** Runs `torch_baseline.py <mode> <args>`; a string explains why there is no fair baseline. */
export function runTorchBaseline(mode: "encode" | "train", args: string[]): BaselineResult | string {
  if (!existsSync(TORCH_BASELINE)) return `no baseline script at ${TORCH_BASELINE} (the shared folder beside the repository)`;
  const check = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (check.status !== 0) return `PyTorch is not installed for ${PYTHON}: ${INSTALL}`;
  const r = spawnSync(PYTHON, [TORCH_BASELINE, mode, ...args], { encoding: "utf8" });
  if (r.status !== 0) return `baseline failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`;
  const json = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
  const allocator = String(json.allocator ?? "unknown");
  if (allocator !== "tcmalloc") {
    const name = allocator.split(" ")[0];
    return `refusing the PyTorch baseline: it ran with ${name} malloc instead of tcmalloc, slower than PyTorch at its best. Install tcmalloc (${INSTALL}) and rerun`;
  }
  return { json, allocator };
}
