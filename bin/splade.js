#!/usr/bin/env node
// The `splade` command: the compiled CLI (npm ci runs `prepare`, which builds dist/).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
