/** bin/tcmalloc.js: which `splade` commands re-run with tcmalloc preloaded, and the bin works either way. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { TCMALLOC, tcmallocPreload } from "../../bin/tcmalloc.js";

test("heavy commands get tcmalloc when it is installed, unless disabled or already preloaded", { skip: process.platform !== "linux" && "Linux only" }, () => {
  const installed = () => true;
  assert.equal(tcmallocPreload("train", {}, installed), TCMALLOC);
  assert.equal(tcmallocPreload("encode", { LD_PRELOAD: "/x.so" }, installed), `${TCMALLOC}:/x.so`);
  for (const command of ["search", "info", "tokenize", undefined]) assert.equal(tcmallocPreload(command, {}, installed), null, String(command));
  assert.equal(tcmallocPreload("train", { SPLADE_TCMALLOC: "0" }, installed), null);
  assert.equal(tcmallocPreload("train", { LD_PRELOAD: TCMALLOC }, installed), null, "no loop");
  assert.equal(tcmallocPreload("train", {}, () => false), null, "not installed");
});

test("bin/splade.js runs a heavy command with and without the re-run", () => {
  for (const env of [{}, { SPLADE_TCMALLOC: "0" }]) {
    const r = spawnSync(process.execPath, ["bin/splade.js", "encode", "--help"], { encoding: "utf8", env: { ...process.env, ...env } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: splade encode/);
  }
  const bad = spawnSync(process.execPath, ["bin/splade.js", "train", "--model"], { encoding: "utf8" });
  assert.equal(bad.status, 2, "the child's exit code comes back");
});
