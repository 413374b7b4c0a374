/**
 * The PyTorch baseline (../shared/bench/torch_baseline.py via Debian's /usr/bin/python3) at its best, or a
 * refusal that says what to install. Two things decide whether Debian's torch is at its best on a CPU:
 *
 * - the allocator: with glibc malloc every batch maps and faults in fresh gigabyte tensors (25 s instead of
 *   4.7 s per batch on these VMs); the script preloads tcmalloc when libtcmalloc-minimal4 is installed, and
 *   a run that reports another allocator is refused;
 * - OpenBLAS's kernel: Debian's OpenBLAS 0.3.21 picks its kernel by CPU model and falls back to a generic
 *   SSE3 one ("Prescott") on models newer than it knows (measured on an Intel Xeon of model 207: 40 instead
 *   of 260 GFLOP/s). The script unsets OPENBLAS_CORETYPE, so when the autodetected kernel lacks the
 *   vector units the CPU has, torch is imported with the right OPENBLAS_CORETYPE before the script runs
 *   (OpenBLAS reads it once, when it loads). `--openblas-core NAME` forces a kernel, `auto` keeps OpenBLAS's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHARED } from "./_paths.js";

export const BASELINE_SCRIPT = join(SHARED, "bench/torch_baseline.py");
const PYTHON = "/usr/bin/python3";
const TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
const INSTALL = "apt-get update && apt-get install -y python3-torch python3-numpy libtcmalloc-minimal4";
/** OpenBLAS kernels with AVX2 or better (the DYNAMIC_ARCH names a core type may take). */
const AVX2_CORES = new Set(["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator"]);
const AVX512_CORES = new Set(["skylakex", "cooperlake", "sapphirerapids"]);

export interface BaselineResult {
  /** The script's JSON line (docs_per_s for encode, s_per_step for train, torch, allocator, …). */
  result: Record<string, unknown> & { torch: string; allocator: string };
  /** The OpenBLAS kernel torch ran with, and how it was chosen. */
  openblas: string;
}

function openblasCore(env: NodeJS.ProcessEnv): string {
  const probe = spawnSync(PYTHON, ["-c", 'import ctypes; l = ctypes.CDLL("libopenblas.so.0"); l.openblas_get_corename.restype = ctypes.c_char_p; print(l.openblas_get_corename().decode())'], { encoding: "utf8", env });
  return probe.status === 0 ? probe.stdout.trim() : "unknown";
}

/** The OPENBLAS_CORETYPE to force (undefined: keep the autodetected kernel) and a description. */
function chooseCore(requested: string | undefined): { force?: string; description: string } {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  const detected = openblasCore(env);
  if (requested && requested !== "auto") return { force: requested, description: `OpenBLAS ${requested} (forced; autodetected ${detected})` };
  if (requested === "auto") return { description: `OpenBLAS ${detected} (autodetected)` };
  let flags = "";
  try {
    flags = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return { description: `OpenBLAS ${detected} (autodetected)` };
  }
  const core = detected.toLowerCase();
  if (/\bavx512f\b/.test(flags) && /\bavx512bw\b/.test(flags) && !AVX512_CORES.has(core) && !AVX2_CORES.has(core)) {
    return { force: "SkylakeX", description: `OpenBLAS SkylakeX (autodetected ${detected} has no AVX2/AVX-512 kernel for this CPU)` };
  }
  if (/\bavx2\b/.test(flags) && !AVX2_CORES.has(core)) {
    return { force: "Haswell", description: `OpenBLAS Haswell (autodetected ${detected} has no AVX2 kernel for this CPU)` };
  }
  return { description: `OpenBLAS ${detected} (autodetected)` };
}

/**
 * Runs the baseline script in `mode` with `args` (its own flags) on `threads` threads. Returns the result,
 * or a string saying why there is none (not installed, glibc malloc, script failure).
 */
export function runTorchBaseline(mode: "encode" | "train", args: string[], threads: number, openblas?: string): BaselineResult | string {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ["-c", "import torch"]).status !== 0) return `PyTorch is not installed; for the baseline: ${INSTALL}`;
  if (!existsSync(BASELINE_SCRIPT)) return `${BASELINE_SCRIPT} is missing (the shared folder is expected next to the repository)`;
  if (!existsSync(TCMALLOC)) {
    return `refusing a glibc-malloc PyTorch baseline (it faults in fresh tensors every batch, several times slower than PyTorch with tcmalloc); install tcmalloc: ${INSTALL}`;
  }
  const core = chooseCore(openblas);
  const env: NodeJS.ProcessEnv = { ...process.env, LD_PRELOAD: TCMALLOC, OPENBLAS_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.BASELINE_GLIBC_MALLOC;
  if (core.force) env.OPENBLAS_CORETYPE = core.force;
  // Import torch (and so OpenBLAS) before the script unsets OPENBLAS_CORETYPE; tcmalloc is already preloaded,
  // so the script does not re-execute itself.
  const wrapper = "import runpy, sys, torch; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')";
  const r = spawnSync(PYTHON, ["-c", wrapper, BASELINE_SCRIPT, mode, "--threads", String(threads), ...args], { encoding: "utf8", env });
  if (r.status !== 0) return `baseline failed (${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`;
  const result = JSON.parse(r.stdout.trim().split("\n").pop()!) as BaselineResult["result"];
  if (result.allocator !== "tcmalloc") return `refusing the baseline: it ran with ${result.allocator}; install tcmalloc: ${INSTALL}`;
  return { result, openblas: core.description };
}
