/**
 * `npx splade` in a fresh clone runs the local CLI, every time, and never asks the registry (scripts/prepare.mjs
 * explains how npm exec resolves this package's own bin). A clone-like folder (package files, bin/, scripts/,
 * src/, the built dist/ and links to the installed packages) gets an empty npm cache and npm's offline mode, so any registry
 * request would fail; three `npx splade` start at once and one more follows. Each must print the CLI's help,
 * the npx install must not rebuild dist/, and node_modules/.bin/splade must be linked for npm exec's fallback.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../helpers/temp-dir.js";

const ROOT = resolve(".");

function npx(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn("npx", ["splade", "info", "--help"], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

test("npx splade: three at once and one after, in a fresh clone with an empty npm cache and no registry", { timeout: 120_000 }, async () => {
  const root = tempDir("splade-npx-");
  const clone = join(root, "clone");
  mkdirSync(join(clone, "node_modules"), { recursive: true });
  for (const f of ["package.json", "package-lock.json", "tsconfig.json", "bin", "scripts", "src", "dist"]) cpSync(join(ROOT, f), join(clone, f), { recursive: true });
  for (const name of readdirSync(join(ROOT, "node_modules"))) {
    if (!name.startsWith(".")) symlinkSync(join(ROOT, "node_modules", name), join(clone, "node_modules", name));
  }
  mkdirSync(join(clone, "node_modules", ".bin"));
  for (const name of readdirSync(join(ROOT, "node_modules", ".bin"))) {
    if (name !== "splade") symlinkSync(readlinkSync(join(ROOT, "node_modules", ".bin", name)), join(clone, "node_modules", ".bin", name));
  }
  const env = {
    ...process.env, npm_config_cache: join(root, "npm-cache"), npm_config_offline: "true", npm_config_update_notifier: "false",
    npm_config_fund: "false", npm_config_audit: "false", ONNXRUNTIME_NODE_INSTALL: "skip",
  };
  // What `npm ci` runs last in a clone whose dist/ is built: the prepare script (here without rebuilding).
  const prepared = spawnSync(process.execPath, ["scripts/prepare.mjs"], { cwd: clone, env: { ...env, npm_command: "exec" }, encoding: "utf8" });
  assert.equal(prepared.status, 0, prepared.stderr);
  assert.equal(readlinkSync(join(clone, "node_modules", ".bin", "splade")), join("..", "..", "bin", "splade.js"));

  const builtAt = statSync(join(clone, "dist", "cli", "main.js")).mtimeMs;
  const runs = [...(await Promise.all([npx(clone, env), npx(clone, env), npx(clone, env)])), await npx(clone, env)];
  runs.forEach((r, i) => {
    assert.equal(r.code, 0, `run ${i + 1}: ${r.stderr}`);
    assert.match(r.stdout, /Usage: splade info/, `run ${i + 1} ran the local CLI`);
    assert.doesNotMatch(r.stderr, /404|npm error/, `run ${i + 1}`);
  });
  assert.equal(statSync(join(clone, "dist", "cli", "main.js")).mtimeMs, builtAt, "npx's install of the folder did not rebuild dist/");
});
