/**
 * Progress on stderr for long CLI work: a cli-progress bar when stderr is a terminal, silence otherwise
 * (logs and pipes stay clean). Library code reports progress through callbacks; this adapts them.
 */
import cliProgress from "cli-progress";

export interface ProgressReporter {
  /** Sets the total (when known) and the current count. */
  update(done: number, total?: number): void;
  stop(): void;
}

export function createProgress(label: string, options: { enabled?: boolean } = {}): ProgressReporter {
  const enabled = options.enabled ?? Boolean(process.stderr.isTTY);
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total ?? 0, done);
        started = true;
      } else {
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
