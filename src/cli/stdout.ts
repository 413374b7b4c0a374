/**
 * A closed stdout ends the command quietly: `splade search … | head` closes the pipe after a few lines, and
 * the next write fails with EPIPE. Node ignores SIGPIPE, so without a listener that error is an unhandled
 * 'error' event and a stack trace. Here it does what a Unix filter killed by SIGPIPE does — stop at once,
 * print nothing — with exit code 0, since the reader got all it asked for. Other stdout errors are rethrown
 * (unexpected, reported as before).
 */
let installed = false;

export function exitQuietlyWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  if (installed) return;
  installed = true;
  stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
}
