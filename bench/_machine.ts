/**
 * Is the machine quiet? A benchmark compares against a baseline measured in the same run, so both sides
 * must have had the CPUs to themselves. This watches the kernel's CPU accounting (/proc/stat) during a
 * measurement and subtracts this process's own CPU time and that of its waited-for children: what remains
 * is what other processes took. Linux only; elsewhere it reports nothing.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Sample {
  wallMs: number;
  busyTicks: number;
  ownTicks: number;
}

function sample(): Sample | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const busyTicks = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
    // /proc/self/stat fields 14–17: utime stime cutime cstime (after the parenthesised command name)
    const self = readFileSync("/proc/self/stat", "utf8");
    const fields = self.slice(self.lastIndexOf(")") + 2).split(" ").map(Number);
    const ownTicks = fields[11] + fields[12] + fields[13] + fields[14];
    return { wallMs: performance.now(), busyTicks, ownTicks };
  } catch {
    return undefined;
  }
}

export interface Interference {
  /** Share of all CPUs used by other processes during the measurement, 0–1. */
  others: number;
  seconds: number;
}

/** Starts watching; call the returned function when the measurement ends. */
export function watchInterference(): () => Interference | undefined {
  const start = sample();
  return () => {
    const end = sample();
    if (!start || !end) return undefined;
    const seconds = (end.wallMs - start.wallMs) / 1000;
    const otherTicks = end.busyTicks - start.busyTicks - (end.ownTicks - start.ownTicks);
    return { others: Math.max(0, otherTicks / TICKS_PER_SECOND / (seconds * cpus().length)), seconds };
  };
}

/** One line for the report: quiet, or how much of the machine others took (a ratio then is not a result). */
export function describeInterference(i: Interference | undefined, limit = 0.05): string {
  if (!i) return "machine load: not measured (no /proc/stat)";
  const share = `${(100 * i.others).toFixed(1)} % of the CPUs`;
  return i.others <= limit
    ? `machine quiet: other processes used ${share} over ${i.seconds.toFixed(0)} s`
    : `WARNING: machine not quiet: other processes used ${share} over ${i.seconds.toFixed(0)} s; ratios from this run are not results`;
}
