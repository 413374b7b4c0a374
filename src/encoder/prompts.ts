/**
 * Text preparation as sentence-transformers does it before tokenizing: the prompt is chosen
 * (SparseEncoder.encode / encode_query / encode_document), prepended when non-empty, then the text is
 * stripped (MLMTransformer.tokenize: `str(s).strip()`) and lowercased when sentence_bert_config.json says
 * do_lower_case.
 */
import { SpladeError } from "../util/errors.js";

export interface PromptChoice {
  /** A literal prompt; wins over `promptName` (upstream logs a warning when both are given). */
  prompt?: string;
  /** A key of the model's prompts. */
  promptName?: string;
}

export interface PromptConfig {
  prompts: Record<string, string>;
  defaultPromptName: string | null;
}

/** Which prompt name a task uses when the caller gives neither prompt nor promptName (upstream order). */
const TASK_PROMPT_NAMES = { query: ["query"], document: ["document", "passage", "corpus"] } as const;

export type Task = keyof typeof TASK_PROMPT_NAMES;

/** The prompt text to prepend ("" for none). */
export function resolvePrompt(config: PromptConfig, choice: PromptChoice, task?: Task): string {
  if (choice.prompt !== undefined) return choice.prompt;
  let name = choice.promptName;
  if (name === undefined && task !== undefined) name = TASK_PROMPT_NAMES[task].find((n) => Object.hasOwn(config.prompts, n));
  if (name !== undefined) {
    if (!Object.hasOwn(config.prompts, name)) {
      const known = Object.keys(config.prompts).map((n) => JSON.stringify(n)).join(", ");
      throw new SpladeError("INVALID_ARGUMENT", `prompt name ${JSON.stringify(name)} is not one of the model's prompts [${known}]`);
    }
    return config.prompts[name];
  }
  return config.defaultPromptName !== null ? (config.prompts[config.defaultPromptName] ?? "") : "";
}

/** Python's str.isspace() set (Unicode White_Space plus the separators U+001C–U+001F); JS trim() differs. */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/** Python `str.strip()` with no arguments. */
export function pythonStrip(text: string): string {
  return text.replace(PY_STRIP, "");
}

/** prompt + text, stripped, lowercased when asked: what the tokenizer receives. */
export function prepareText(text: string, prompt: string, doLowerCase: boolean): string {
  const stripped = pythonStrip(prompt + text);
  return doLowerCase ? stripped.toLowerCase() : stripped;
}
