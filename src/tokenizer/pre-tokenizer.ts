/**
 * BertPreTokenizer (tokenizers/src/pre_tokenizers/bert.rs): split the normalized text on `char::is_whitespace`
 * (dropping it), then isolate every punctuation character (ASCII punctuation or a Unicode P* category, as the
 * crate's tables have them) as a word of its own. Words are slices of the input; nothing is copied per character.
 */
import { PUNCT, WHITESPACE, charClasses } from "./unicode.js";

/** Calls `onWord` with each word of `text`, in order. */
export function preTokenizeBert(text: string, onWord: (word: string) => void): void {
  const classes = charClasses();
  let start = -1;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const c = classes[cp];
    if (c & (WHITESPACE | PUNCT)) {
      if (start >= 0) onWord(text.slice(start, i));
      start = -1;
      if (c & PUNCT) onWord(text.slice(i, i + width));
    } else if (start < 0) {
      start = i;
    }
    i += width;
  }
  if (start >= 0) onWord(text.slice(start));
}
