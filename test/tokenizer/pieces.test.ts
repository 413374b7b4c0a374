/**
 * The pipeline's parts on their own: WordPiece on small vocabularies (upstream's own unit cases from
 * models/wordpiece/mod.rs, the 100-code-point limit, astral characters never split in half), the
 * pre-tokenizer's splitting, and added-token cutting (leftmost-longest, raw vs normalized matching).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AddedTokenMatcher, type AddedToken } from "../../src/tokenizer/added-tokens.js";
import { normalizeBert } from "../../src/tokenizer/normalizer.js";
import { preTokenizeBert } from "../../src/tokenizer/pre-tokenizer.js";
import { WordPiece } from "../../src/tokenizer/wordpiece.js";
import { isSpladeError } from "../../src/util/errors.js";

const OPTIONS = { unkToken: "[UNK]", continuingSubwordPrefix: "##", maxInputCharsPerWord: 100 };

function pieces(vocab: Record<string, number>, word: string, opts = OPTIONS): number[] {
  const out: number[] = [];
  new WordPiece(new Map(Object.entries(vocab)), opts).tokenize(word, out);
  return out;
}

test("WordPiece: greedy longest match first, ## continuations, unknown whole word", () => {
  const vocab = { "##na": 0, ba: 1, "[UNK]": 2, ban: 3, "##ana": 4 };
  assert.deepEqual(pieces(vocab, "banana"), [3, 4]);
  assert.deepEqual(pieces({ "##na": 0, ba: 1, "[UNK]": 2 }, "banana"), [1, 0, 0]);
  assert.deepEqual(pieces({ "##na": 0, ba: 1, "[UNK]": 2 }, "nanana"), [2]);
  assert.deepEqual(pieces({ "##na": 0, ba: 1, "[UNK]": 2 }, "banan"), [2]);
});

test("WordPiece: more than max_input_chars_per_word code points is one [UNK]", () => {
  const vocab = { a: 0, "##a": 1, "[UNK]": 2, "😀": 3, "##😀": 4 };
  assert.equal(pieces(vocab, "a".repeat(100)).length, 100);
  assert.deepEqual(pieces(vocab, "a".repeat(101)), [2]);
  // 100 emoji are 200 UTF-16 units but 100 chars: still under the limit, as Rust counts chars.
  assert.equal(pieces(vocab, "😀".repeat(100)).length, 100);
  assert.deepEqual(pieces(vocab, "😀".repeat(101)), [2]);
  assert.deepEqual(pieces(vocab, "aaa", { ...OPTIONS, maxInputCharsPerWord: 2 }), [2]);
});

test("WordPiece: astral characters are matched whole, never by half a surrogate pair", () => {
  assert.deepEqual(pieces({ x: 0, "[UNK]": 1, "##😀": 2 }, "x😀😀"), [0, 2, 2]);
  assert.deepEqual(pieces({ x: 0, "[UNK]": 1, "##\ud83d": 2 }, "x😀"), [1]);
});

test("WordPiece: a vocabulary without the unknown token is refused", () => {
  assert.throws(
    () => new WordPiece(new Map([["a", 0]]), OPTIONS),
    (e) => isSpladeError(e, "INVALID_ARGUMENT"),
  );
});

test("pre-tokenizer: whitespace splits and is dropped, each punctuation character is its own word", () => {
  const words: string[] = [];
  preTokenizeBert("  don't\u3000stop--now!?\u00a0ok ", (w) => words.push(w));
  assert.deepEqual(words, ["don", "'", "t", "stop", "-", "-", "now", "!", "?", "ok"]);
  const none: string[] = [];
  preTokenizeBert(" \t\n ", (w) => none.push(w));
  assert.deepEqual(none, []);
});

function token(content: string, id: number, normalized = false): AddedToken {
  return { id, content, special: true, normalized, lstrip: false, rstrip: false, singleWord: false };
}

test("added tokens: leftmost-longest in the raw text; case matters for normalized=false", () => {
  const identity = (s: string): string => s;
  const matcher = new AddedTokenMatcher([token("[MASK]", 103), token("[MASK]]", 7), token("[SEP]", 102)], identity);
  assert.deepEqual(matcher.splitRaw("a[MASK]b [MASK]][mask][SEP]"), ["a", 103, "b ", 7, "[mask]", 102]);
  assert.deepEqual(matcher.splitRaw(""), []);
  assert.equal(matcher.hasNormalized, false);
});

test("added tokens: normalized=true ones match their normalized content in normalized text", () => {
  const uncased = { cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true };
  const matcher = new AddedTokenMatcher([token("Café", 5, true)], (s) => normalizeBert(s, uncased));
  assert.equal(matcher.hasNormalized, true);
  assert.deepEqual(matcher.splitRaw("CAFÉ"), ["CAFÉ"]);
  assert.deepEqual(matcher.splitNormalized(normalizeBert("un CAFÉ noir", uncased)), ["un ", 5, " noir"]);
});

test("added tokens: lstrip/rstrip/single_word are refused, not ignored", () => {
  assert.throws(
    () => new AddedTokenMatcher([{ ...token("[MASK]", 103), lstrip: true }], (s) => s),
    (e) => isSpladeError(e, "UNSUPPORTED"),
  );
});
