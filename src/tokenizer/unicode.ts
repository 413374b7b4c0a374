/**
 * One byte of flags per code point, the character classes that BERT normalization and pre-tokenization ask
 * about, exactly as the Rust `tokenizers` crate answers them (tokenizers/src/normalizers/bert.rs and
 * pre_tokenizers/bert.rs). The category-based classes come from the generated unicode-tables.ts; the two
 * property-based ones are written here: `char::is_whitespace` (the Unicode White_Space property, stable since
 * Unicode 6.3) and bert.rs's `is_chinese_char` ranges (Google BERT's tokenization.py list, with the crate's
 * 0x2B920 typo kept: U+2B820..U+2B91F is not padded upstream, so it is not padded here).
 * The table covers all 0x110000 code points (1.1 MB, built once on first use) so the hot loops do one array
 * read per character. Lone UTF-16 surrogates, which a Rust string cannot hold, are classed as U+FFFD, the
 * character a UTF-8 encoder would have written for them.
 */
import { NFD_UNCHANGED, NONSPACING_MARKS, PUNCTUATION, REMOVED_BY_CLEAN_TEXT } from "./unicode-tables.js";

/** Dropped by clean_text (U+0000, U+FFFD, Cc/Cf/Co but \t \n \r). */
export const REMOVED = 1;
/** Replaced by " " by clean_text: White_Space or \t \n \r, unless REMOVED (the filter runs first). */
export const CLEAN_SPACE = 2;
/** Split on (and dropped) by the pre-tokenizer: `char::is_whitespace`. */
export const WHITESPACE = 4;
/** Isolated as a word of its own by the pre-tokenizer. */
export const PUNCT = 8;
/** Dropped by strip_accents after NFD (Mn). */
export const MARK = 16;
/** Padded with spaces by handle_chinese_chars. */
export const CHINESE = 32;

const WHITE_SPACE_RANGES: readonly number[] = [
  0x9, 0xd, 0x20, 0x20, 0x85, 0x85, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000,
];
const CHINESE_RANGES: readonly number[] = [
  0x4e00, 0x9fff, 0x3400, 0x4dbf, 0x20000, 0x2a6df, 0x2a700, 0x2b73f, 0x2b740, 0x2b81f, 0x2b920, 0x2ceaf, 0xf900,
  0xfaff, 0x2f800, 0x2fa1f,
];

let table: Uint8Array | undefined;

function mark(t: Uint8Array, ranges: readonly number[], flag: number): void {
  for (let i = 0; i < ranges.length; i += 2) {
    for (let cp = ranges[i]; cp <= ranges[i + 1]; cp++) t[cp] |= flag;
  }
}

/** The flag table, indexed by code point (surrogate code units included). */
export function charClasses(): Uint8Array {
  if (table !== undefined) return table;
  const t = new Uint8Array(0x110000);
  mark(t, REMOVED_BY_CLEAN_TEXT, REMOVED);
  mark(t, WHITE_SPACE_RANGES, WHITESPACE);
  mark(t, PUNCTUATION, PUNCT);
  mark(t, NONSPACING_MARKS, MARK);
  mark(t, CHINESE_RANGES, CHINESE);
  for (let cp = 0; cp < 0x110000; cp++) {
    const isSpace = (t[cp] & WHITESPACE) !== 0 || cp === 0x9 || cp === 0xa || cp === 0xd;
    if (isSpace && (t[cp] & REMOVED) === 0) t[cp] |= CLEAN_SPACE;
  }
  t.fill(t[0xfffd], 0xd800, 0xe000);
  table = t;
  return t;
}

/** A regex character class body (for the "u" flag) matching flat [first, last] ranges. */
function classOf(ranges: readonly number[]): string {
  let body = "";
  for (let i = 0; i < ranges.length; i += 2)
    body += `\\u{${ranges[i].toString(16)}}-\\u{${ranges[i + 1].toString(16)}}`;
  return body;
}

const NFD_UNCHANGED_SPLIT = new RegExp(`([${classOf(NFD_UNCHANGED)}])`, "u");

/**
 * Canonical decomposition as `unicode-normalization-alignments` 0.1.12 does it: the engine's NFD, except for the
 * few precomposed characters (Unicode 13 and later) that the crate's older tables do not know. Those are
 * starters there, so the text is decomposed piecewise around them.
 */
export function nfd(text: string): string {
  if (!NFD_UNCHANGED_SPLIT.test(text)) return text.normalize("NFD");
  return text
    .split(NFD_UNCHANGED_SPLIT)
    .map((part, i) => (i % 2 === 0 ? part.normalize("NFD") : part))
    .join("");
}
