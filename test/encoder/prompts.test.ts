/** Prompt choice and text preparation as sentence-transformers does them (SparseEncoder.encode*, MLMTransformer.tokenize). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { prepareText, pythonStrip, resolvePrompt } from "../../src/encoder/prompts.js";

const config = { prompts: { query: "query: ", passage: "passage: ", corpus: "c: " }, defaultPromptName: null };

test("encode_query uses 'query', encode_document the first of document/passage/corpus, encode the default", () => {
  assert.equal(resolvePrompt(config, {}, "query"), "query: ");
  assert.equal(resolvePrompt(config, {}, "document"), "passage: ");
  assert.equal(resolvePrompt({ prompts: {}, defaultPromptName: null }, {}, "query"), "");
  assert.equal(resolvePrompt(config, {}), "");
  assert.equal(resolvePrompt({ ...config, defaultPromptName: "corpus" }, {}), "c: ");
  assert.equal(resolvePrompt({ ...config, defaultPromptName: "corpus" }, {}, "query"), "query: ");
});

test("an explicit prompt wins over a prompt name; an unknown name is INVALID_ARGUMENT", () => {
  assert.equal(resolvePrompt(config, { prompt: "q> ", promptName: "query" }, "document"), "q> ");
  assert.equal(resolvePrompt(config, { promptName: "corpus" }, "query"), "c: ");
  assert.throws(() => resolvePrompt(config, { promptName: "nope" }), { code: "INVALID_ARGUMENT", message: /"nope".*"query"/ });
});

test("strip() follows Python's whitespace set, after the prompt is prepended", () => {
  assert.equal(pythonStrip("\u001f\u0085 a b \u3000\n"), "a b");
  assert.equal(pythonStrip("\ufeffa\ufeff"), "\ufeffa\ufeff", "U+FEFF is not whitespace in Python");
  assert.equal(prepareText("", "query: ", false), "query:");
  assert.equal(prepareText("  Hello ", "", true), "hello");
});
