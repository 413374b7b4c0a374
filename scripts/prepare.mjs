#!/usr/bin/env node
// npm's `prepare` script (package.json): builds dist/ with tsc, and links node_modules/.bin/splade.
//
// Why not a plain `tsc`: `npx splade` in this folder does not run node_modules/.bin/splade. npm's exec
// (libnpmexec) sees that the local package.json declares the `splade` bin and installs this folder into its
// npx cache (~/.npm/_npx/<hash of the path>) as a link, and arborist runs a linked folder's `prepare` there. So
// the first `npx splade` after a clone re-ran tsc (16 s) and rewrote dist/, under any other `npx splade`
// started at the same time, each of which was installing this folder into the same npx cache folder too.
// Under `npm exec` (npm_command "exec") with dist/ already built, this script therefore does not build.
//
// npm never links a root package's own bins, so node_modules/.bin/splade did not exist: whenever npm exec did
// not take its local-package route, it fell through to the registry and asked for a package named "splade"
// (404 Not Found). Linking the bin here makes that fallback the local CLI too. Tested by test/e2e/npx.test.ts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const built = existsSync(join("dist", "cli", "main.js"));
if (!(process.env.npm_command === "exec" && built)) {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const status = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { stdio: "inherit" }).status;
  if (status !== 0) process.exit(status ?? 1);
}

// npm links bins as relative symlinks on POSIX; on Windows it writes .cmd shims, which npm exec finds itself.
if (process.platform !== "win32" && existsSync("node_modules")) {
  mkdirSync(join("node_modules", ".bin"), { recursive: true });
  try {
    symlinkSync(join("..", "..", "bin", "splade.js"), join("node_modules", ".bin", "splade"));
  } catch (error) {
    // Already linked (a concurrent npx's prepare may have won): a failing prepare would leave npx's cache broken.
    if (error.code !== "EEXIST") throw error;
  }
}
