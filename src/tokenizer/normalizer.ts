/**
 * BertNormalizer, step for step as tokenizers/src/normalizers/bert.rs: clean_text (drop U+0000, U+FFFD and
 * control/format/private-use characters, turn whitespace into " "), handle_chinese_chars (pad CJK ideographs
 * with spaces), strip_accents (NFD, then drop nonspacing marks) and lowercase, in that order.
 * Lowercasing is per character (`char::to_lowercase`), so unlike String.prototype.toLowerCase a final
 * capital sigma becomes σ, not ς (the fixture's "ΟΔΟΣ" → "οδοσ"); Σ is the only character whose JS
 * lowercasing depends on context, so mapping it first makes the built-in exact.
 * Strings are built from slices of unchanged runs, never one character at a time.
 */
import { CHINESE, CLEAN_SPACE, MARK, REMOVED, charClasses, nfd } from "./unicode.js";

export interface BertNormalizerOptions {
  /** tokenizer.json `clean_text`. */
  cleanText: boolean;
  /** tokenizer.json `handle_chinese_chars` (`tokenize_chinese_chars` in tokenizer_config.json). */
  handleChineseChars: boolean;
  /** tokenizer.json `strip_accents`, with null already resolved to `lowercase` as bert.rs does. */
  stripAccents: boolean;
  /** tokenizer.json `lowercase` (`do_lower_case` in tokenizer_config.json). */
  lowercase: boolean;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII = /^[\x00-\x7f]*$/;

/** Rewrites `text` keeping runs of characters for which `decide` returns undefined, replacing the others. */
function rewrite(text: string, decide: (cp: number, ch: string) => string | undefined): string {
  const parts: string[] = [];
  let changed = false;
  let runStart = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const replacement = decide(cp, width === 1 ? "" : text.slice(i, i + 2));
    if (replacement !== undefined) {
      if (runStart < i) parts.push(text.slice(runStart, i));
      if (replacement !== "") parts.push(replacement);
      runStart = i + width;
      changed = true;
    }
    i += width;
  }
  if (!changed) return text;
  if (runStart < text.length) parts.push(text.slice(runStart));
  return parts.join("");
}

function cleanAndPad(text: string, opts: BertNormalizerOptions): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const classes = charClasses();
  return rewrite(text, (cp, astral) => {
    const c = classes[cp];
    if (opts.cleanText && c & REMOVED) return "";
    if (opts.cleanText && c & CLEAN_SPACE) return cp === 0x20 ? undefined : " ";
    if (opts.handleChineseChars && c & CHINESE) return ` ${astral === "" ? String.fromCharCode(cp) : astral} `;
    return undefined;
  });
}

function stripAccents(text: string): string {
  if (ASCII.test(text)) return text;
  const classes = charClasses();
  return rewrite(nfd(text), (cp) => (classes[cp] & MARK ? "" : undefined));
}

function lowercase(text: string): string {
  return (text.includes("Σ") ? text.replaceAll("Σ", "σ") : text).toLowerCase();
}

/** The normalized text, as `BertNormalizer::normalize` would leave it. */
export function normalizeBert(text: string, opts: BertNormalizerOptions): string {
  let out = opts.cleanText || opts.handleChineseChars ? cleanAndPad(text, opts) : text;
  if (opts.stripAccents) out = stripAccents(out);
  if (opts.lowercase) out = lowercase(out);
  return out;
}
