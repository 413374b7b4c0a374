/**
 * The PyTorch baseline of the benchmarks: ../shared/bench/torch_baseline.py (a path relative to the repository
 * root, as every path to ../shared), run with Debian's /usr/bin/python3, at its best:
 * - tcmalloc. The script re-executes itself with libtcmalloc-minimal4 preloaded and reports its allocator. With
 *   glibc malloc PyTorch faults in fresh gigabyte tensors every batch on these VMs and runs 2–5× slower than it
 *   can (issue #14), so a baseline that ran with glibc is refused, with how to install tcmalloc.
 * - OpenBLAS's kernel. Debian's torch multiplies in OpenBLAS 0.3.21, which picks its kernel from the CPU model
 *   (the script unsets OPENBLAS_CORETYPE so that a pin cannot slow it). On a CPU it does not know, such as the
 *   masked "Intel Xeon Processor" of some of these VMs, it falls back to its generic SSE3 kernel (Prescott):
 *   measured 31 GFLOP/s there against 145–158 for Haswell, SkylakeX or Zen. The kernel it would pick is probed
 *   first (OPENBLAS_VERBOSE=2); when it is a pre-AVX2 one on a CPU with AVX2, torch is loaded with the
 *   matching kernel (SkylakeX with AVX-512, else Haswell) before the script runs, unchanged, in that process.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHARED } from "./_paths.js";

export const TORCH_BASELINE = join(SHARED, "bench", "torch_baseline.py");
const PYTHON = "/usr/bin/python3";
const TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
const INSTALL = "apt-get update && apt-get install -y python3-torch python3-numpy libtcmalloc-minimal4";
/** OpenBLAS kernels without AVX2 (its DYNAMIC_ARCH fallbacks for CPUs it does not recognise). */
const GENERIC_CORES = new Set(["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai", "Coppermine", "Northwood", "Banias", "Atom", "Opteron", "Barcelona", "Bobcat"]);
/** Runs the script after `import torch`, so that OpenBLAS is already loaded with the environment given. */
const PRELOAD_TORCH = "import runpy, sys\nimport torch\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')";

export interface BaselineResult {
  /** The script's JSON line: mode, timings, torch version, threads, allocator, … */
  json: Record<string, unknown>;
  allocator: string;
  /** OpenBLAS's kernel, and whether it was chosen here rather than by OpenBLAS. */
  openblasCore: string;
}

function cpuFlags(): Set<string> {
  const info = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  return new Set((/^flags\s*:(.*)$/m.exec(info)?.[1] ?? "").trim().split(/\s+/));
}

/** The kernel OpenBLAS picks by itself here, and the one the baseline should use. */
export function openblasKernel(): { detected: string; use: string | null } {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_VERBOSE: "2" };
  delete env.OPENBLAS_CORETYPE;
  const r = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8", env });
  const detected = /Core: (\w+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? "unknown";
  const flags = cpuFlags();
  if (!GENERIC_CORES.has(detected) || !flags.has("avx2")) return { detected, use: null };
  return { detected, use: flags.has("avx512f") ? "SkylakeX" : "Haswell" };
}

/** Runs `torch_baseline.py <mode> <args>` (args include --threads); a string explains why there is no fair baseline. */
export function runTorchBaseline(mode: "encode" | "train", args: string[]): BaselineResult | string {
  if (!existsSync(TORCH_BASELINE)) return `no baseline script at ${TORCH_BASELINE} (the shared folder beside the repository)`;
  const check = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (check.status !== 0) return `PyTorch is not installed for ${PYTHON}: ${INSTALL}`;
  const kernel = openblasKernel();
  let r;
  if (kernel.use === null) {
    r = spawnSync(PYTHON, [TORCH_BASELINE, mode, ...args], { encoding: "utf8" });
  } else {
    if (!existsSync(TCMALLOC)) return `PyTorch would run with glibc malloc: install tcmalloc (${INSTALL}) and rerun`;
    const threads = args[args.indexOf("--threads") + 1];
    const env = { ...process.env, LD_PRELOAD: TCMALLOC, OPENBLAS_CORETYPE: kernel.use, OPENBLAS_NUM_THREADS: threads };
    r = spawnSync(PYTHON, ["-c", PRELOAD_TORCH, TORCH_BASELINE, mode, ...args], { encoding: "utf8", env });
  }
  if (r.status !== 0) return `baseline failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`;
  const json = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
  const allocator = String(json.allocator ?? "unknown");
  if (allocator !== "tcmalloc") {
    const name = allocator.split(" ")[0];
    return `refusing the PyTorch baseline: it ran with ${name} malloc instead of tcmalloc, slower than PyTorch at its best. Install tcmalloc (${INSTALL}) and rerun`;
  }
  const openblasCore = kernel.use === null ? `${kernel.detected} (OpenBLAS's choice)` : `${kernel.use} (OpenBLAS would pick ${kernel.detected} on this CPU)`;
  return { json: { ...json, openblas_core: openblasCore }, allocator, openblasCore };
}
