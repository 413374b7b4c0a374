/**
 * Loads a Hugging Face `tokenizer.json` (the `tokenizers` serialization, version "1.0") into a
 * BertTokenizerSpec. Only the BERT pipeline is accepted: normalizer BertNormalizer, pre_tokenizer
 * BertPreTokenizer, model WordPiece, post_processor TemplateProcessing or BertProcessing; anything else is
 * UNSUPPORTED rather than tokenized some other way. Field names are the file's (snake_case) on purpose.
 * `truncation` and `padding` in the file are not applied: callers choose maxLength per call; only the pad id
 * is taken from `padding` when present (else the [PAD] token's id).
 */
import { SpladeError } from "../util/errors.js";
import type { AddedToken } from "./added-tokens.js";
import { JsonFields, readJsonFile } from "./read-file.js";
import { BERT_SPECIAL_TOKENS, type BertTokenizerSpec } from "./spec.js";

export interface TokenizerJsonOptions {
  /** Token whose id pads batches when the file has no `padding` section. Default "[PAD]" (BertTokenizer's). */
  padToken?: string;
}

function requireType(
  f: JsonFields,
  section: unknown,
  name: string,
  accepted: readonly string[],
): Record<string, unknown> {
  if (section === null || section === undefined) {
    throw new SpladeError("UNSUPPORTED", `${f.path}: ${name} is null; only ${accepted.join(" / ")} is supported`, {
      path: f.path,
    });
  }
  const obj = f.object(section, name);
  const type = f.string(obj.type, `${name}.type`);
  if (!accepted.includes(type)) {
    throw new SpladeError(
      "UNSUPPORTED",
      `${f.path}: ${name}.type ${type} is not supported (only ${accepted.join(" / ")})`,
      { path: f.path },
    );
  }
  return obj;
}

function readAddedTokens(f: JsonFields, value: unknown): AddedToken[] {
  return f.array(value ?? [], "added_tokens").map((entry, i) => {
    const t = f.object(entry, `added_tokens[${i}]`);
    if (t.lstrip === true || t.rstrip === true || t.single_word === true) {
      throw new SpladeError(
        "UNSUPPORTED",
        `${f.path}: added_tokens[${i}] sets lstrip/rstrip/single_word, which are not supported`,
        { path: f.path },
      );
    }
    return {
      id: f.id(t.id, `added_tokens[${i}].id`),
      content: f.string(t.content, `added_tokens[${i}].content`),
      special: f.boolean(t.special ?? false, `added_tokens[${i}].special`),
      normalized: f.boolean(t.normalized ?? true, `added_tokens[${i}].normalized`),
      lstrip: f.boolean(t.lstrip ?? false, `added_tokens[${i}].lstrip`),
      rstrip: f.boolean(t.rstrip ?? false, `added_tokens[${i}].rstrip`),
      singleWord: f.boolean(t.single_word ?? false, `added_tokens[${i}].single_word`),
    };
  });
}

/** [prefix ids, suffix ids] of the single-sequence template. */
function readPostProcessor(f: JsonFields, value: unknown): [number[], number[]] {
  const pp = requireType(f, value, "post_processor", ["TemplateProcessing", "BertProcessing"]);
  if (pp.type === "BertProcessing") {
    const cls = f.array(pp.cls, "post_processor.cls");
    const sep = f.array(pp.sep, "post_processor.sep");
    return [[f.id(cls[1], "post_processor.cls[1]")], [f.id(sep[1], "post_processor.sep[1]")]];
  }
  const specials = f.object(pp.special_tokens, "post_processor.special_tokens");
  const prefix: number[] = [];
  const suffix: number[] = [];
  let seenSequence = false;
  f.array(pp.single, "post_processor.single").forEach((entry, i) => {
    const item = f.object(entry, `post_processor.single[${i}]`);
    if (item.Sequence !== undefined) {
      if (seenSequence) f.fail("post_processor.single has more than one Sequence");
      seenSequence = true;
      return;
    }
    const name = f.string(
      f.object(item.SpecialToken, `post_processor.single[${i}].SpecialToken`).id,
      `post_processor.single[${i}].SpecialToken.id`,
    );
    const special = f.object(specials[name], `post_processor.special_tokens[${JSON.stringify(name)}]`);
    const ids = f
      .array(special.ids, `post_processor.special_tokens[${JSON.stringify(name)}].ids`)
      .map((id) => f.id(id, `ids of ${name}`));
    (seenSequence ? suffix : prefix).push(...ids);
  });
  if (!seenSequence) f.fail("post_processor.single has no Sequence");
  return [prefix, suffix];
}

export function parseTokenizerJson(json: unknown, path: string, opts: TokenizerJsonOptions = {}): BertTokenizerSpec {
  const f: JsonFields = new JsonFields(path);
  const root = f.object(json, "the top level");
  const model = requireType(f, root.model, "model", ["WordPiece"]);
  const normalizer = requireType(f, root.normalizer, "normalizer", ["BertNormalizer"]);
  requireType(f, root.pre_tokenizer, "pre_tokenizer", ["BertPreTokenizer"]);

  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(f.object(model.vocab, "model.vocab")))
    vocab.set(token, f.id(id, `model.vocab[${JSON.stringify(token)}]`));
  if (vocab.size === 0) f.fail("model.vocab is empty");
  const unkToken = f.string(model.unk_token, "model.unk_token");
  if (!vocab.has(unkToken)) f.fail(`model.unk_token ${unkToken} is not in model.vocab`);
  const maxInputCharsPerWord = f.id(model.max_input_chars_per_word, "model.max_input_chars_per_word");

  const lowercase = f.boolean(normalizer.lowercase, "normalizer.lowercase");
  const stripAccents =
    normalizer.strip_accents === null || normalizer.strip_accents === undefined
      ? lowercase // bert.rs: `strip_accents.unwrap_or(lowercase)`
      : f.boolean(normalizer.strip_accents, "normalizer.strip_accents");

  const addedTokens = readAddedTokens(f, root.added_tokens);
  const [prefixIds, suffixIds] = readPostProcessor(f, root.post_processor);

  let padId: number;
  if (root.padding !== null && root.padding !== undefined) {
    padId = f.id(f.object(root.padding, "padding").pad_id, "padding.pad_id");
  } else {
    const padToken = opts.padToken ?? BERT_SPECIAL_TOKENS.pad;
    const id = addedTokens.find((t) => t.content === padToken)?.id ?? vocab.get(padToken);
    if (id === undefined) f.fail(`no padding section and no ${padToken} token to pad with`);
    padId = id;
  }

  return {
    vocab,
    addedTokens,
    normalizer: {
      cleanText: f.boolean(normalizer.clean_text, "normalizer.clean_text"),
      handleChineseChars: f.boolean(normalizer.handle_chinese_chars, "normalizer.handle_chinese_chars"),
      stripAccents,
      lowercase,
    },
    wordPiece: {
      unkToken,
      continuingSubwordPrefix: f.string(model.continuing_subword_prefix, "model.continuing_subword_prefix"),
      maxInputCharsPerWord,
    },
    prefixIds,
    suffixIds,
    padId,
  };
}

/** Reads and parses `path` (a tokenizer.json). */
export function readTokenizerJson(path: string, opts: TokenizerJsonOptions = {}): BertTokenizerSpec {
  return parseTokenizerJson(readJsonFile(path), path, opts);
}
