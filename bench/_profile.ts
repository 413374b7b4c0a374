/**
 * Reads an onnxruntime profile (SessionOptions.profileFilePrefix: a Chrome-tracing JSON array with one
 * "model_run" event per session.run and one "<node>_kernel_time" event per node run, `dur` in µs, args
 * `op_name` and `output_type_shape`) and summarizes one run: its time, the share of the matrix products
 * (MatMul, FusedMatMul, Gemm) and the op types and node groups that take the most time.
 */
import { readFileSync } from "node:fs";

interface TraceEvent {
  cat?: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string; output_type_shape?: unknown };
}

export interface ProfileSummary {
  runs: number;
  /** Seconds of the summarized run (model_run), of all its nodes, and of its matrix products. */
  runS: number;
  nodesS: number;
  matmulS: number;
  /** [op type, seconds, node runs], slowest first. */
  byOp: Array<[string, number, number]>;
  /** [op type · forward or backward/update (the nodes after the loss) · output shape, seconds, node runs], slowest first. */
  byGroup: Array<[string, number, number]>;
}

const MATMUL_OPS = new Set(["MatMul", "FusedMatMul", "Gemm"]);

/** Summary of run `index` of the trace (negative: from the end; default the last run). */
export function summarizeProfile(file: string, index = -1): ProfileSummary {
  const events = JSON.parse(readFileSync(file, "utf8")) as TraceEvent[];
  const runs = events.filter((e) => e.name === "model_run");
  const run = runs.at(index);
  if (!run) throw new Error(`${file}: no run ${index} among ${runs.length}`);
  const nodes = events.filter((e) => e.cat === "Node" && e.name.endsWith("_kernel_time") && e.ts >= run.ts && e.ts <= run.ts + run.dur);
  const byOp = new Map<string, [number, number]>();
  const byGroup = new Map<string, [number, number]>();
  const add = (m: Map<string, [number, number]>, key: string, us: number) => {
    const v = m.get(key) ?? [0, 0];
    m.set(key, [v[0] + us / 1e6, v[1] + 1]);
  };
  for (const e of nodes) {
    const op = e.args?.op_name ?? "?";
    add(byOp, op, e.dur);
    add(byGroup, `${op} ${e.name.startsWith("grad/") ? "backward/update" : "forward"} ${JSON.stringify(e.args?.output_type_shape ?? [])}`, e.dur);
  }
  const sorted = (m: Map<string, [number, number]>) => [...m].map(([k, [s, n]]) => [k, s, n] as [string, number, number]).sort((a, b) => b[1] - a[1]);
  const sum = (pred: (e: TraceEvent) => boolean) => nodes.filter(pred).reduce((s, e) => s + e.dur / 1e6, 0);
  return { runs: runs.length, runS: run.dur / 1e6, nodesS: sum(() => true), matmulS: sum((e) => MATMUL_OPS.has(e.args?.op_name ?? "")), byOp: sorted(byOp), byGroup: sorted(byGroup) };
}
