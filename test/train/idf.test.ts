/**
 * IDF query weights (src/train/idf.ts) and the inference-free init (src/train/init-inference-free.ts): the
 * opensearch formula on a hand-checked corpus, SparseStaticEmbedding.from_json semantics against the opensearch
 * fixture's stored weight, and the written Router folder against sentence-transformers' own save.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { readSafetensors } from "../../src/safetensors/index.js";
import { BertTokenizer } from "../../src/tokenizer/index.js";
import { DocumentFrequencies, weightFromIdfJson } from "../../src/train/idf.js";
import { initInferenceFreeFolder } from "../../src/train/init-inference-free.js";
import { loadTrainingModel } from "../../src/train/model-source.js";
import { isSpladeError } from "../../src/util/errors.js";
import { FIXTURES } from "../parity/golden.js";
import { MODEL_DIR } from "./fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

const tokenizer = BertTokenizer.fromModelDir(MODEL_DIR);
const id = (token: string) => tokenizer.tokenToId(token)!;

test("IDF: ln(1 + (N − df + 0.5) / (df + 0.5)) over documents' distinct non-special tokens", async () => {
  const df = new DocumentFrequencies(tokenizer);
  const longWord = "x".repeat(120); // WordPiece gives [UNK] for a word over 100 characters
  for (const doc of ["The cat sat", "the dog", "[CLS] [SEP]", "the cat cat " + longWord, ""]) df.add(doc);
  assert.equal(df.documents, 3, "documents with only special tokens (or none) do not count");
  const idf = df.idf();
  const expected = (n: number) => Math.fround(Math.log(1 + (3 - n + 0.5) / (n + 0.5)));
  assert.equal(idf[id("the")], expected(3));
  assert.equal(idf[id("cat")], expected(2), "a repeated token counts once per document");
  assert.equal(idf[id("sat")], expected(1));
  assert.equal(idf[id("dog")], expected(1));
  for (const special of ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]) assert.equal(idf[id(special)], 0, special);
  assert.equal(idf.reduce((n, w) => n + (w !== 0 ? 1 : 0), 0), 4, "only tokens that occur get a weight");
  assert.deepEqual(weightFromIdfJson(df.idfJson(), tokenizer, "idf.json"), idf, "idf.json round trip");
  assert.throws(() => new DocumentFrequencies(tokenizer).idf(), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});

test("SparseStaticEmbedding.from_json: the opensearch fixture's idf.json gives exactly its stored weight", async () => {
  const dir = join(FIXTURES, "tiny-opensearch-inference-free");
  const idf = JSON.parse(readFileSync(join(dir, "idf.json"), "utf8")) as unknown;
  const stored = readSafetensors(join(dir, "query_0_SparseStaticEmbedding", "model.safetensors")).float32("weight");
  assert.deepEqual(weightFromIdfJson(idf, BertTokenizer.fromModelDir(dir), "idf.json"), stored);
  assert.throws(() => weightFromIdfJson({ "not-a-token-xyz": 1 }, tokenizer, "idf.json"), (e) => isSpladeError(e, "INVALID_FILE") && /idf\.json.*not-a-token-xyz/.test((e as Error).message));
});

function files(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [relative(dir, join(d, name))]));
  return walk(dir).sort();
}

test("init-model --inference-free writes the layout Router.for_query_document saves, and it loads for training", async () => {
  const root = tempDir("splade-if-");
  const weight = new Float32Array(30522).map((_, i) => (i % 7 === 0 ? i / 1000 : 0));
  const model = { architecture: "distilbert" as const, layers: 1, dim: 16, heads: 2, maxPositions: 128, vocab: join(MODEL_DIR, "vocab.txt"), tokenizerJson: join(MODEL_DIR, "tokenizer.json"), seed: 1 };
  initInferenceFreeFolder(root, { model, queryWeight: weight });
  const fixture = join(FIXTURES, "tiny-inference-free-splade");
  assert.deepEqual(files(root), files(fixture));
  for (const f of ["router_config.json", "modules.json", "query_0_SparseStaticEmbedding/config.json"]) {
    assert.ok(readFileSync(join(root, f)).equals(readFileSync(join(fixture, f))), `${f} is byte-identical to sentence-transformers' save`);
  }
  const json = (dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>;
  for (const f of ["config_sentence_transformers.json", "document_1_SpladePooling/config.json", "document_0_MLMTransformer/sentence_bert_config.json"]) {
    assert.deepEqual(Object.keys(json(root, f)), Object.keys(json(fixture, f)), f);
  }
  assert.deepEqual(json(root, "document_0_MLMTransformer/sentence_bert_config.json"), { max_seq_length: 128, do_lower_case: false });
  const source = await loadTrainingModel(root);
  assert.deepEqual(source.router!.static.weight, weight);
  assert.deepEqual([source.router!.static.frozen, source.config.hidden, source.maxSeqLength], [false, 16, 128]);

  initInferenceFreeFolder(join(root, "frozen"), { model, queryWeight: weight, frozen: true });
  assert.equal((await loadTrainingModel(join(root, "frozen"))).router!.static.frozen, true);
  assert.throws(() => initInferenceFreeFolder(join(root, "bad"), { model, queryWeight: new Float32Array(5) }), (e) => isSpladeError(e, "INVALID_ARGUMENT"));
});
