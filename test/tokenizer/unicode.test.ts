/**
 * Every code point, and 600 random mixed-script texts, against goldens the Rust crate produced
 * (test/tokenizer/goldens/, made by tools/gen-goldens.mjs from npm `tokenizers`, the crate's Node binding).
 * The code point sweep catches a JS engine whose toLowerCase / normalize("NFD") drift from Rust's, and any
 * hand edit of the generated category tables; the random texts exercise added-token cutting, combining-mark
 * reordering, CJK padding and WordPiece together.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { normalizeBert, type BertNormalizerOptions } from "../../src/tokenizer/normalizer.js";

const GOLDENS = fileURLToPath(new URL("./goldens/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

interface CodepointSetting {
  options: BertNormalizerOptions;
  removed: [number, number][];
  padded: [number, number][];
  mapped: Record<string, string>;
}
const codepoints = JSON.parse(readFileSync(`${GOLDENS}codepoints.json`, "utf8")) as {
  settings: Record<string, CodepointSetting>;
};

function expectedOutputs(setting: CodepointSetting): Map<number, string> {
  const expected = new Map<number, string>();
  for (const [first, last] of setting.removed) for (let cp = first; cp <= last; cp++) expected.set(cp, "");
  for (const [first, last] of setting.padded)
    for (let cp = first; cp <= last; cp++) expected.set(cp, ` ${String.fromCodePoint(cp)} `);
  for (const [hex, out] of Object.entries(setting.mapped)) expected.set(parseInt(hex, 16), out);
  return expected;
}

const show = (s: string): string =>
  [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(" ") || "(empty)";

for (const [name, setting] of Object.entries(codepoints.settings)) {
  test(`BertNormalizer (${name}) treats every code point as the Rust crate does`, () => {
    const expected = expectedOutputs(setting);
    let mismatches = 0;
    let first = "";
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const want = expected.get(cp) ?? ch;
      const got = normalizeBert(ch, setting.options);
      if (got === want) continue;
      if (mismatches++ === 0) first = `U+${cp.toString(16).toUpperCase()}: expected ${show(want)}, got ${show(got)}`;
    }
    assert.equal(mismatches, 0, `${mismatches} code points differ; first: ${first}`);
  });
}

test("600 random mixed-script texts give the crate's ids", () => {
  const tokenizer = BertTokenizer.fromFile(`${FIXTURES}tiny-bert-splade/tokenizer.json`);
  const lines = readFileSync(`${GOLDENS}random.jsonl`, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  let matching = 0;
  let first = "";
  for (const [i, line] of lines.entries()) {
    const { text, ids } = JSON.parse(line) as { text: string; ids: number[] };
    const got = tokenizer.encode(text);
    if (got.length === ids.length && got.every((id, k) => id === ids[k])) matching++;
    else if (first === "")
      first = `line ${i + 1} ${JSON.stringify(text)}: expected ${ids.join(" ")}, got ${got.join(" ")}`;
  }
  assert.equal(matching, lines.length, `${matching}/${lines.length} match; first mismatch: ${first}`);
});

test("lowercasing is per character: a final capital sigma becomes σ, İ loses its dot with the accents", () => {
  const uncased = { cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true };
  assert.equal(normalizeBert("ΟΔΟΣ", uncased), "οδοσ");
  assert.equal(normalizeBert("İstanbul", uncased), "istanbul");
  assert.equal(normalizeBert("İ", { ...uncased, stripAccents: false }), "i\u0307");
});

test("lone UTF-16 surrogates are treated as U+FFFD: dropped by clean_text", () => {
  const uncased = { cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true };
  assert.equal(normalizeBert("a\ud800b\udc00c", uncased), "abc");
});
