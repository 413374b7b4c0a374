#!/usr/bin/env node
// The `splade` command: the compiled CLI (npm ci runs `prepare`, which builds dist/). Commands that hold big
// tensors re-run themselves with tcmalloc preloaded when it is installed (bin/tcmalloc.js says why).
import { rerunWithTcmalloc } from "./tcmalloc.js";

const args = process.argv.slice(2);
if (!(await rerunWithTcmalloc(args[0]))) {
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(args);
}
