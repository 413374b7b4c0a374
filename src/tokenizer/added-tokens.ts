/**
 * Added tokens (tokenizer.json `added_tokens`: [CLS], [SEP], [MASK], [PAD], [UNK] for BERT) are cut out of the
 * text before anything else, as tokenizers/src/tokenizer/added_vocabulary.rs does: tokens with
 * `normalized: false` are matched in the raw text, leftmost-longest (the crate uses Aho-Corasick with
 * MatchKind::LeftmostLongest); the rest of the text is normalized, and tokens with `normalized: true` are then
 * matched, by their normalized content, in the normalized text. So "a[MASK]b" gives a, [MASK], b while
 * "[mask]" is ordinary text ([, mask, ]).
 * A JS regex alternation tries alternatives in order at the leftmost position that matches, so listing the
 * contents longest first gives exactly leftmost-longest.
 * lstrip / rstrip / single_word are not implemented (BERT checkpoints leave them false); a file that sets them
 * is refused rather than tokenized differently.
 */
import { SpladeError } from "../util/errors.js";

/** One entry of tokenizer.json `added_tokens`, fields renamed to camelCase. */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  normalized: boolean;
  lstrip: boolean;
  rstrip: boolean;
  singleWord: boolean;
}

/** Text to tokenize (string) or the id of an added token (number), in order. */
export type Segment = string | number;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

class Splitter {
  private readonly pattern: RegExp | undefined;
  private readonly ids: Map<string, number>;

  constructor(ids: Map<string, number>) {
    this.ids = ids;
    const contents = [...ids.keys()].sort((a, b) => b.length - a.length);
    this.pattern = contents.length === 0 ? undefined : new RegExp(contents.map(escapeRegExp).join("|"), "g");
  }

  split(text: string, out: Segment[]): void {
    if (this.pattern === undefined) {
      if (text !== "") out.push(text);
      return;
    }
    let last = 0;
    for (const m of text.matchAll(this.pattern)) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(this.ids.get(m[0])!);
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
  }
}

export class AddedTokenMatcher {
  private readonly raw: Splitter;
  private readonly normalized: Splitter;
  /** Whether any token is matched after normalization (the caller can skip that pass otherwise). */
  readonly hasNormalized: boolean;

  /** `normalize` turns the contents of `normalized: true` tokens into what they look like after normalization. */
  constructor(tokens: readonly AddedToken[], normalize: (text: string) => string) {
    const raw = new Map<string, number>();
    const normalized = new Map<string, number>();
    for (const t of tokens) {
      if (t.lstrip || t.rstrip || t.singleWord) {
        throw new SpladeError(
          "UNSUPPORTED",
          `added token ${JSON.stringify(t.content)}: lstrip/rstrip/single_word are not supported`,
        );
      }
      if (t.content === "") throw new SpladeError("INVALID_ARGUMENT", `added token ${t.id} has empty content`);
      if (t.normalized) {
        const content = normalize(t.content);
        if (content !== "") normalized.set(content, t.id);
      } else {
        raw.set(t.content, t.id);
      }
    }
    this.raw = new Splitter(raw);
    this.normalized = new Splitter(normalized);
    this.hasNormalized = normalized.size > 0;
  }

  /** Cuts `normalized: false` tokens out of the raw text. */
  splitRaw(text: string): Segment[] {
    const out: Segment[] = [];
    this.raw.split(text, out);
    return out;
  }

  /** Cuts `normalized: true` tokens out of already-normalized text. */
  splitNormalized(text: string): Segment[] {
    const out: Segment[] = [];
    this.normalized.split(text, out);
    return out;
  }
}
