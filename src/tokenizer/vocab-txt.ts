/**
 * Loads the older BERT layout, `vocab.txt` (one token per line, id = line number) plus the options of
 * `tokenizer_config.json`, into the same BertTokenizerSpec that tokenizer.json gives. The pipeline is the one
 * transformers builds when it converts a slow BertTokenizer to a fast one (convert_slow_tokenizer.py
 * BertConverter): BertNormalizer(clean_text=True, handle_chinese_chars=tokenize_chinese_chars,
 * strip_accents, lowercase=do_lower_case), BertPreTokenizer, WordPiece("##", 100 chars), "[CLS] $A [SEP]",
 * and the five special tokens as added tokens matched in the raw text (normalized=False).
 * Lines lose trailing whitespace as in the crate's `WordPiece::read_file` (`trim_end`, White_Space).
 */
import { SpladeError } from "../util/errors.js";
import type { AddedToken } from "./added-tokens.js";
import { JsonFields, readJsonFile, readTextFile } from "./read-file.js";
import { BERT_DEFAULTS, BERT_SPECIAL_TOKENS, type BertTokenizerSpec } from "./spec.js";
import { WHITESPACE, charClasses } from "./unicode.js";

export interface VocabTxtOptions {
  /** Lowercase the text (tokenizer_config.json `do_lower_case`). Default true, as BertTokenizer. */
  doLowerCase?: boolean;
  /** Strip accents; null or absent follows doLowerCase (tokenizer_config.json `strip_accents`). */
  stripAccents?: boolean | null;
  /** Pad CJK ideographs with spaces (tokenizer_config.json `tokenize_chinese_chars`). Default true. */
  tokenizeChineseChars?: boolean;
  /** Special token strings, when they are not BERT's [UNK] [SEP] [PAD] [CLS] [MASK]. */
  specialTokens?: Partial<Record<keyof typeof BERT_SPECIAL_TOKENS, string>>;
}

function trimEndWhiteSpace(line: string): string {
  const classes = charClasses();
  let end = line.length;
  while (end > 0 && classes[line.charCodeAt(end - 1)] & WHITESPACE) end--;
  return line.slice(0, end);
}

/** token → id from vocab.txt text; a final newline does not make an empty token. */
export function parseVocabTxt(text: string, path: string): Map<string, number> {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new SpladeError("INVALID_FILE", `${path}: empty vocabulary`, { path });
  const vocab = new Map<string, number>();
  lines.forEach((line, id) => vocab.set(trimEndWhiteSpace(line), id));
  return vocab;
}

export function specFromVocab(
  vocab: ReadonlyMap<string, number>,
  path: string,
  opts: VocabTxtOptions = {},
): BertTokenizerSpec {
  const names = { ...BERT_SPECIAL_TOKENS, ...opts.specialTokens };
  const idOf = (token: string): number => {
    const id = vocab.get(token);
    if (id === undefined)
      throw new SpladeError("INVALID_FILE", `${path}: special token ${token} is not in the vocabulary`, { path });
    return id;
  };
  const addedTokens: AddedToken[] = Object.values(names)
    .filter((content) => vocab.has(content))
    .map((content) => ({
      id: vocab.get(content)!,
      content,
      special: true,
      normalized: false,
      lstrip: false,
      rstrip: false,
      singleWord: false,
    }));
  const lowercase = opts.doLowerCase ?? BERT_DEFAULTS.doLowerCase;
  return {
    vocab,
    addedTokens,
    normalizer: {
      cleanText: true,
      handleChineseChars: opts.tokenizeChineseChars ?? BERT_DEFAULTS.tokenizeChineseChars,
      stripAccents: opts.stripAccents ?? lowercase,
      lowercase,
    },
    wordPiece: {
      unkToken: names.unk,
      continuingSubwordPrefix: BERT_DEFAULTS.continuingSubwordPrefix,
      maxInputCharsPerWord: BERT_DEFAULTS.maxInputCharsPerWord,
    },
    prefixIds: [idOf(names.cls)],
    suffixIds: [idOf(names.sep)],
    padId: idOf(names.pad),
  };
}

export function readVocabTxt(path: string, opts: VocabTxtOptions = {}): BertTokenizerSpec {
  const vocab = parseVocabTxt(readTextFile(path), path);
  const unk = opts.specialTokens?.unk ?? BERT_SPECIAL_TOKENS.unk;
  if (!vocab.has(unk))
    throw new SpladeError("INVALID_FILE", `${path}: unknown token ${unk} is not in the vocabulary`, { path });
  return specFromVocab(vocab, path, opts);
}

/** The VocabTxtOptions that a tokenizer_config.json sets (absent fields stay absent). */
export function readTokenizerConfig(path: string): VocabTxtOptions {
  const f: JsonFields = new JsonFields(path);
  const config = f.object(readJsonFile(path), "the top level");
  const opts: VocabTxtOptions = {};
  if (config.do_lower_case !== undefined) opts.doLowerCase = f.boolean(config.do_lower_case, "do_lower_case");
  if (config.strip_accents !== undefined && config.strip_accents !== null)
    opts.stripAccents = f.boolean(config.strip_accents, "strip_accents");
  if (config.tokenize_chinese_chars !== undefined)
    opts.tokenizeChineseChars = f.boolean(config.tokenize_chinese_chars, "tokenize_chinese_chars");
  const specialTokens: Partial<Record<keyof typeof BERT_SPECIAL_TOKENS, string>> = {};
  for (const key of Object.keys(BERT_SPECIAL_TOKENS) as (keyof typeof BERT_SPECIAL_TOKENS)[]) {
    const value = config[`${key}_token`];
    if (value === undefined || value === null) continue;
    // transformers writes either the string or a serialized AddedToken {"content": ..., ...}.
    specialTokens[key] =
      typeof value === "string" ? value : f.string(f.object(value, `${key}_token`).content, `${key}_token.content`);
  }
  if (Object.keys(specialTokens).length > 0) opts.specialTokens = specialTokens;
  return opts;
}
