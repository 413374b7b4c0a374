#!/usr/bin/env node
// Regenerates the goldens under test/tokenizer/goldens/ from the Rust `tokenizers` crate's own Node binding
// (npm `tokenizers`, native; NOT a dependency of this project, install it in a scratch folder):
//   mkdir /tmp/oracle && cd /tmp/oracle && npm i tokenizers@0.23.2
//   node test/tokenizer/tools/gen-goldens.mjs /tmp/oracle/node_modules/tokenizers
// codepoints.json: what BertNormalizer makes of every code point alone, for the uncased (bert-base-uncased)
//   and cased (no lowercase, no accent stripping) settings: ranges dropped, ranges padded as CJK, and an
//   explicit map for everything else that changes (lowercase, NFD, accents). It checks that the JS engine's
//   toLowerCase / normalize("NFD") still agree with Rust on this machine's Node.
// random.jsonl: seeded random texts mixing scripts, marks, controls, emoji and special-token strings, with the
//   ids the crate gives them through test/fixtures/tiny-bert-splade/tokenizer.json.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const oraclePath = process.argv[2];
if (!oraclePath) {
  console.error("usage: gen-goldens.mjs <path to node_modules/tokenizers>");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const T = require(oraclePath);
const version = require(`${oraclePath}/package.json`).version;
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "goldens");
const source = `npm tokenizers@${version} (Rust tokenizers crate), via test/tokenizer/tools/gen-goldens.mjs`;

function ranges(cps) {
  const r = [];
  for (const cp of cps) {
    const last = r[r.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else r.push([cp, cp]);
  }
  return r;
}

const settings = {
  uncased: { cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true },
  cased: { cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false },
};
const codepoints = { source, settings: {} };
for (const [name, options] of Object.entries(settings)) {
  const normalizer = T.bertNormalizer(options);
  const removed = [];
  const padded = [];
  const mapped = {};
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const result = normalizer.normalizeString(ch);
    if (result === ch) continue;
    if (result === "") removed.push(cp);
    else if (result === ` ${ch} `) padded.push(cp);
    else mapped[cp.toString(16)] = result;
  }
  codepoints.settings[name] = { options, removed: ranges(removed), padded: ranges(padded), mapped };
}
writeFileSync(join(out, "codepoints.json"), JSON.stringify(codepoints));

let seed = 20240601;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const span = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const pools = [
  span(0x20, 0x7e),
  span(0x20, 0x7e),
  span(0x0, 0x20),
  span(0x80, 0x24f),
  span(0x300, 0x36f),
  span(0x370, 0x3ff),
  span(0x400, 0x4ff),
  span(0x590, 0x6ff),
  span(0x900, 0x97f),
  span(0xe00, 0xe7f),
  span(0x1100, 0x11ff),
  span(0x1e00, 0x1fff),
  span(0x2000, 0x206f),
  span(0x2e00, 0x2e7f),
  span(0x3000, 0x30ff),
  span(0x4e00, 0x4e80),
  span(0xac00, 0xac40),
  span(0xf900, 0xf920),
  span(0xfe00, 0xfe0f),
  span(0xff00, 0xffef),
  span(0xfff0, 0xfffd),
  span(0x1f300, 0x1f3ff),
  span(0x1e900, 0x1e95f),
  span(0x2b800, 0x2b930),
  span(0x11380, 0x113ff),
  span(0x16100, 0x1613f),
  span(0xe000, 0xe010),
  span(0x1d160, 0x1d17f),
  [0x3a3, 0x3c3, 0x3c2, 0x130, 0x131, 0x1e9e, 0xdf, 0x345],
];
const words = [
  "[MASK]",
  "[CLS]",
  "[SEP]",
  "[PAD]",
  "[UNK]",
  "[mask]",
  "[MAS",
  "K]",
  " ",
  "  ",
  "hello",
  "##",
  "running",
  "unbelievable",
];
const tokenizer = T.Tokenizer.fromFile(join(here, "..", "..", "fixtures", "tiny-bert-splade", "tokenizer.json"));
const lines = [];
for (let i = 0; i < 600; i++) {
  let text = "";
  const length = 1 + Math.floor(rnd() * 30);
  for (let j = 0; j < length; j++) {
    if (rnd() < 0.15) text += words[Math.floor(rnd() * words.length)];
    else {
      const pool = pools[Math.floor(rnd() * pools.length)];
      text += String.fromCodePoint(pool[Math.floor(rnd() * pool.length)]);
    }
  }
  const ids = (await tokenizer.encode(text)).getIds();
  lines.push(JSON.stringify({ text, ids }));
}
writeFileSync(join(out, "random.jsonl"), `${lines.join("\n")}\n`);
console.log(`wrote ${out}/codepoints.json and random.jsonl (${lines.length} texts) from ${source}`);
