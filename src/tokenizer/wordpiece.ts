/**
 * WordPiece (Schuster & Nakajima 2012; BERT, Devlin et al. 2019): greedy longest-match-first over the word,
 * later pieces prefixed with `##`; a word with any unmatched position, or longer than max_input_chars_per_word
 * code points, becomes the single unknown token. Semantics of tokenizers/src/models/wordpiece/mod.rs (0.22).
 * Speed: matches are tried from the longest vocabulary entry's length down (a longer slice cannot be in the
 * vocabulary, so the result is the same), and whole words are cached, since corpora repeat words constantly.
 */
import { SpladeError } from "../util/errors.js";

export interface WordPieceOptions {
  /** tokenizer.json `model.unk_token`; must be in the vocabulary. */
  unkToken: string;
  /** tokenizer.json `model.continuing_subword_prefix` ("##"). */
  continuingSubwordPrefix: string;
  /** tokenizer.json `model.max_input_chars_per_word` (100), counted in code points as Rust `chars()`. */
  maxInputCharsPerWord: number;
}

/** Words cached before the cache is dropped and refilled; bounds memory on endless streams of new words. */
const CACHE_LIMIT = 200_000;

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function codePointCount(word: string, atMost: number): number {
  let n = 0;
  for (let i = 0; i < word.length && n <= atMost; i++) if (!isLowSurrogate(word.charCodeAt(i))) n++;
  return n;
}

export class WordPiece {
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly opts: WordPieceOptions;
  private readonly unkId: number;
  /** Longest vocabulary entry, and longest continuation entry without its prefix, in UTF-16 units. */
  private readonly maxFirstLength: number;
  private readonly maxNextLength: number;
  private readonly cache = new Map<string, number | number[]>();

  /** `vocab` must contain `opts.unkToken` (the loaders check it and name the file). */
  constructor(vocab: ReadonlyMap<string, number>, opts: WordPieceOptions) {
    const unkId = vocab.get(opts.unkToken);
    if (unkId === undefined)
      throw new SpladeError("INVALID_ARGUMENT", `WordPiece: unk token ${opts.unkToken} is not in the vocabulary`);
    this.vocab = vocab;
    this.opts = opts;
    this.unkId = unkId;
    let maxFirst = 0;
    let maxNext = 0;
    for (const key of vocab.keys()) {
      maxFirst = Math.max(maxFirst, key.length);
      if (key.startsWith(opts.continuingSubwordPrefix))
        maxNext = Math.max(maxNext, key.length - opts.continuingSubwordPrefix.length);
    }
    this.maxFirstLength = maxFirst;
    this.maxNextLength = maxNext;
  }

  /** Appends the ids of one pre-tokenized word to `out`. */
  tokenize(word: string, out: number[]): void {
    const cached = this.cache.get(word);
    if (cached === undefined) {
      const ids = this.tokenizeUncached(word);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(word, ids.length === 1 ? ids[0] : ids);
      for (const id of ids) out.push(id);
    } else if (typeof cached === "number") {
      out.push(cached);
    } else {
      for (const id of cached) out.push(id);
    }
  }

  private tokenizeUncached(word: string): number[] {
    if (codePointCount(word, this.opts.maxInputCharsPerWord) > this.opts.maxInputCharsPerWord) return [this.unkId];
    const whole = this.vocab.get(word);
    if (whole !== undefined) return [whole];
    const prefix = this.opts.continuingSubwordPrefix;
    const ids: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = Math.min(word.length, start + (start === 0 ? this.maxFirstLength : this.maxNextLength));
      if (end < word.length && isLowSurrogate(word.charCodeAt(end))) end--;
      let id: number | undefined;
      while (start < end) {
        const piece = word.slice(start, end);
        id = this.vocab.get(start === 0 ? piece : prefix + piece);
        if (id !== undefined) break;
        end -= end - 2 >= start && isLowSurrogate(word.charCodeAt(end - 1)) ? 2 : 1;
      }
      if (id === undefined) return [this.unkId];
      ids.push(id);
      start = end;
    }
    return ids;
  }
}
