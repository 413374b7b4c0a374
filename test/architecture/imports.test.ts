/**
 * The architecture document, enforced: every import between src/ layers must be an edge of ALLOWED.
 * Neural half: util ← safetensors, pytorch, tokenizer, graph ← model ← encoder ← train.
 * Retrieval half: util ← sparse ← index, eval. The halves never import each other (the encoder may use the
 * shared SparseVector type in sparse). app/ composes both halves; server/ (the HTTP service) and engines/
 * (OpenSearch, PostgreSQL) sit on app/, and cli/ and the package entry sit on top of everything; nothing
 * imports cli/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve("src");
const BASE = ["util"];
const ALLOWED: Record<string, string[]> = {
  util: [],
  hub: [...BASE],
  safetensors: [...BASE],
  pytorch: [...BASE],
  tokenizer: [...BASE],
  graph: [...BASE],
  model: [...BASE, "graph", "safetensors", "pytorch"],
  encoder: [...BASE, "hub", "graph", "model", "safetensors", "tokenizer", "sparse"],
  train: [...BASE, "hub", "graph", "model", "safetensors", "tokenizer", "encoder", "sparse"],
  sparse: [...BASE],
  index: [...BASE, "sparse"],
  eval: [...BASE, "hub", "sparse", "index"],
  app: [...BASE, "hub", "safetensors", "tokenizer", "graph", "model", "encoder", "train", "sparse", "index", "eval"],
  server: [...BASE, "hub", "safetensors", "tokenizer", "graph", "model", "encoder", "train", "sparse", "index", "eval", "app"],
  engines: [...BASE, "hub", "safetensors", "tokenizer", "graph", "model", "encoder", "train", "sparse", "index", "eval", "app"],
  cli: [...BASE, "hub", "safetensors", "tokenizer", "graph", "model", "encoder", "train", "sparse", "index", "eval", "app", "server", "engines"],
  ".": [...BASE, "hub", "safetensors", "tokenizer", "graph", "model", "encoder", "train", "sparse", "index", "eval", "app", "server", "engines"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes("/") ? rel.split("/")[0] : ".";
}

test("imports between layers follow the architecture table", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    assert.ok(from in ALLOWED, `${relative(".", file)}: layer '${from}' is not in the architecture table`);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g)) {
      const spec = m[1] ?? m[2];
      const to = layerOf(resolve(dirname(file), spec));
      if (to !== from && !ALLOWED[from].includes(to)) violations.push(`${relative(".", file)} imports ${spec} (${from} → ${to})`);
    }
  }
  assert.deepEqual(violations, [], `layer violations:\n${violations.join("\n")}`);
});

test("library code (everything outside cli/) never prints, exits or reads argv/env", () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(SRC)) {
    if (layerOf(file) === "cli") continue;
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\/?\*)/.test(line)) return; // comments may name what they avoid
      if (/\bconsole\.|process\.(exit|argv|env|stdout|stderr)\b/.test(line)) offenders.push(`${relative(".", file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, [], `library code must not print, exit or read argv/env:\n${offenders.join("\n")}`);
});
