#!/usr/bin/env node
// Resolves the OpenSearch test node's jars from Maven Central (test/engines/opensearch-node/pom.xml) into lib/
// and compiles OsNode.java into classes/, unless both are already there and newer than their sources.
// Safe to run concurrently: each step builds into a private temporary folder and renames it into place.
// Used by .ci/run and, when needed, by test/helpers/opensearch-node.ts. Needs Java 17 (javac) and Maven.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../test/engines/opensearch-node", import.meta.url)));
const LIB = join(ROOT, "lib");
const CLASSES = join(ROOT, "classes");
const POM = join(ROOT, "pom.xml");
const SOURCE = join(ROOT, "src", "OsNode.java");

const newer = (path, than) => existsSync(path) && statSync(path).mtimeMs >= statSync(than).mtimeMs;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}); the OpenSearch test node needs Java 17 and Maven`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
}

/** Renames tmp into place; a stale final is moved aside first, a fresh one (another process won) is kept. */
function publish(tmp, final, isFresh) {
  if (existsSync(final)) {
    if (isFresh()) return rmSync(tmp, { recursive: true, force: true });
    const old = `${final}.tmp-old-${process.pid}`;
    renameSync(final, old);
    rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(tmp, final);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process published first
  }
}

export function prepareOpenSearchNode() {
  const libFresh = () => newer(LIB, POM) && readdirSync(LIB).some((f) => f.startsWith("opensearch-2."));
  const classesFresh = () => newer(join(CLASSES, "OsNode.class"), SOURCE);
  if (!libFresh()) {
    const tmp = `${LIB}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    run("mvn", ["-B", "-q", "dependency:copy-dependencies", `-DoutputDirectory=${tmp}`]);
    publish(tmp, LIB, libFresh);
  }
  if (!classesFresh()) {
    const tmp = `${CLASSES}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    run("javac", ["-d", tmp, "-cp", `${LIB}/*`, SOURCE]);
    publish(tmp, CLASSES, classesFresh);
  }
  return { lib: LIB, classes: CLASSES };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  prepareOpenSearchNode();
  console.log(`OpenSearch test node ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${LIB})`);
}
