/**
 * `splade encode`, `splade tokenize` and `splade info` as a new user runs them: on the fixture folders,
 * against the goldens (encode.jsonl through the CLI with --task, tokenizer.jsonl ids), and the errors for a
 * truncated model.safetensors, a missing config.json, an unknown architecture and an unreachable Hub.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startHubServer, unusedLocalUrl } from "../helpers/hub-server.js";
import { compareSparse, encodeGoldens, FIXTURES, modelDir } from "../parity/golden.js";
import { splade } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const DISTILBERT = modelDir("tiny-distilbert-splade");
const BERT = modelDir("tiny-bert-splade");


interface VectorLine {
  id?: string | number;
  indices: number[];
  values: number[];
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8").trim().split("\n").map((line) => JSON.parse(line) as T);
}

test("encode: JSONL with --task reproduces encode.jsonl for both models (ids carried, input order)", async (t) => {
  const dir = tempDir("splade-encode-e2e-");
  for (const [model, folder] of [["tiny-distilbert-splade", DISTILBERT], ["tiny-bert-splade", BERT]] as const) {
    for (const task of ["query", "document"] as const) {
      const rows = encodeGoldens(model).filter((r) => r.task === task);
      const input = join(dir, `${model}-${task}.jsonl`);
      writeFileSync(input, rows.map((r, i) => JSON.stringify({ _id: `t${i}`, text: r.text })).join("\n") + "\n");
      const output = join(dir, `${model}-${task}.out.jsonl`);
      const run = await splade(["encode", "--model", folder, "--input", input, "--output", output, "--task", task, "--batch-size", "16", "--threads", "1"]);
      assert.equal(run.code, 0, run.stderr);
      const vectors = readJsonl<VectorLine>(output);
      assert.equal(vectors.length, rows.length);
      const failures = vectors.flatMap((v, i) => {
        assert.equal(v.id, `t${i}`);
        const failure = compareSparse({ indices: Uint32Array.from(v.indices), values: Float32Array.from(v.values) }, rows[i], `${model} ${task} ${i}`);
        return failure ? [failure] : [];
      });
      assert.deepEqual(failures, []);
    }
  }
});

test("encode: plain text lines, --title, --max-active-dims; a bad line leaves no output and an older one intact", async () => {
  const dir = tempDir("splade-encode-e2e-");
  const text = join(dir, "texts.txt");
  writeFileSync(text, "first text\n\nthird text, after an empty one\n");
  const out = join(dir, "texts.out.jsonl");
  let run = await splade(["encode", "--model", DISTILBERT, "--input", text, "--output", out, "--max-active-dims", "5"]);
  assert.equal(run.code, 0, run.stderr);
  const vectors = readJsonl<VectorLine>(out);
  assert.equal(vectors.length, 3);
  assert.ok(vectors.every((v) => v.id === undefined && v.indices.length === 5));

  const beir = join(dir, "corpus.jsonl");
  writeFileSync(beir, JSON.stringify({ _id: "d1", title: "Tides", text: "The Moon pulls the oceans." }) + "\n");
  const withTitle = join(dir, "title.jsonl");
  const joined = join(dir, "joined.txt");
  writeFileSync(joined, "Tides The Moon pulls the oceans.\n");
  const joinedOut = join(dir, "joined.out.jsonl");
  assert.equal((await splade(["encode", "--model", DISTILBERT, "--input", beir, "--output", withTitle, "--title"])).code, 0);
  assert.equal((await splade(["encode", "--model", DISTILBERT, "--input", joined, "--output", joinedOut])).code, 0);
  const [titled] = readJsonl<VectorLine>(withTitle);
  const [plain] = readJsonl<VectorLine>(joinedOut);
  assert.equal(titled.id, "d1");
  assert.deepEqual({ indices: titled.indices, values: titled.values }, plain);

  const broken = join(dir, "broken.jsonl");
  writeFileSync(broken, JSON.stringify({ text: "fine" }) + "\n" + "{not json\n");
  writeFileSync(out, "previous contents\n");
  run = await splade(["encode", "--model", DISTILBERT, "--input", broken, "--output", out]);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /broken\.jsonl:2: not valid JSON/);
  assert.equal(readFileSync(out, "utf8"), "previous contents\n");
  const fresh = join(dir, "never.jsonl");
  assert.equal((await splade(["encode", "--model", DISTILBERT, "--input", broken, "--output", fresh])).code, 3);
  assert.ok(!existsSync(fresh));
});

test("tokenize: ids identical to tokenizer.jsonl (untruncated); --max-length truncates with [SEP] kept", async () => {
  const dir = tempDir("splade-encode-e2e-");
  const output = join(dir, "ids.jsonl");
  const input = join(FIXTURES, "tokenizer.jsonl");
  const run = await splade(["tokenize", "--model", DISTILBERT, "--input", input, "--output", output]);
  assert.equal(run.code, 0, run.stderr);
  const expected = readJsonl<{ ids: number[] }>(input).map((r) => r.ids);
  assert.deepEqual(readJsonl<{ ids: number[] }>(output).map((r) => r.ids), expected);
  assert.ok(expected.some((ids) => ids.length > 256), "the golden has texts over 256 tokens");
  assert.equal((await splade(["tokenize", "--model", BERT, "--input", input, "--output", output, "--max-length", "8"])).code, 0);
  readJsonl<{ ids: number[] }>(output).forEach((r, i) => {
    const full = expected[i];
    assert.deepEqual(r.ids, full.length <= 8 ? full : [...full.slice(0, 7), 102]);
  });
});

test("tokenize a Router model: the route's tokenizer (--task), else the first route's; from disk and from the Hub", async (t) => {
  const dir = tempDir("splade-encode-e2e-");
  const model = modelDir("tiny-inference-free-splade");
  const input = join(FIXTURES, "tokenizer.jsonl");
  const expected = readJsonl<{ ids: number[] }>(input).map((r) => r.ids);
  for (const task of [[], ["--task", "query"], ["--task", "document"]]) {
    const output = join(dir, `ids${task.join("")}.jsonl`);
    const run = await splade(["tokenize", "--model", model, ...task, "--input", input, "--output", output]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readJsonl<{ ids: number[] }>(output).map((r) => r.ids), expected);
  }
  const unknown = await splade(["tokenize", "--model", model, "--task", "passage", "--input", input, "--output", join(dir, "x.jsonl")]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /router_config\.json: no route for task "passage" \(routes: query, document\)/);
  const hub = await startHubServer({ models: { "org/inference-free": model } });
  t.after(() => hub.close());
  const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, "cache"), HF_HUB_OFFLINE: "0" };
  const output = join(dir, "hub.jsonl");
  const run = await splade(["tokenize", "--model", "org/inference-free", "--task", "query", "--input", input, "--output", output], env);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readJsonl<{ ids: number[] }>(output).map((r) => r.ids), expected);
  assert.ok(!hub.hits.some((hit) => hit.path.endsWith(".safetensors")), "tokenizing downloads no weights");
});

test("info: architecture, sizes, max_seq_length, pooling, prompts (table and --json)", async () => {
  const table = await splade(["info", "--model", BERT]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /architecture\s+BertForMaskedLM/);
  assert.match(table.stdout, /max_seq_length\s+128/);
  assert.match(table.stdout, /pooling\s+SpladePooling\(max, relu\)/);
  assert.match(table.stdout, /prompts\s+query="query: ", document=""/);
  const json = await splade(["info", "--model", DISTILBERT, "--json"]);
  const info = JSON.parse(json.stdout);
  assert.deepEqual([info.architecture, info.hidden, info.layers, info.heads, info.maxSeqLength], ["DistilBertForMaskedLM", 32, 2, 4, 256]);
});

test("errors a new user meets: truncated weights, missing config.json, unknown architecture, unreachable Hub", async () => {
  const dir = tempDir("splade-encode-e2e-");
  const input = join(dir, "in.txt");
  writeFileSync(input, "hello\n");
  const copy = (name: string) => {
    const target = join(dir, name);
    cpSync(DISTILBERT, target, { recursive: true });
    return target;
  };
  const truncated = copy("truncated");
  truncateSync(join(truncated, "model.safetensors"), statSync(join(truncated, "model.safetensors")).size - 100);
  let run = await splade(["encode", "--model", truncated, "--input", input, "--output", join(dir, "o.jsonl")]);
  assert.equal(run.code, 3);
  assert.match(run.stderr, /\[INVALID_FILE\].*truncated.model\.safetensors/);

  const noConfig = copy("no-config");
  rmSync(join(noConfig, "config.json"));
  run = await splade(["info", "--model", noConfig]);
  assert.equal(run.code, 3);
  assert.match(run.stderr, /\[FILE_NOT_FOUND\].*config\.json/);

  const unknown = copy("unknown");
  writeFileSync(join(unknown, "config.json"), JSON.stringify({ model_type: "xlm-roberta", architectures: ["XLMRobertaForMaskedLM"] }));
  run = await splade(["encode", "--model", unknown, "--input", input, "--output", join(dir, "o.jsonl")]);
  assert.equal(run.code, 6);
  assert.match(run.stderr, /\[UNSUPPORTED\].*config\.json.*xlm-roberta/);

  const endpoint = await unusedLocalUrl();
  run = await splade(["info", "--model", "org/tiny"], { HF_ENDPOINT: endpoint, HF_HUB_CACHE: join(dir, "cache"), HF_HUB_OFFLINE: "0" });
  assert.equal(run.code, 5);
  assert.match(run.stderr, /\[NETWORK\].*org\/tiny/);
  run = await splade(["info", "--model", "org/tiny"], { HF_HUB_CACHE: join(dir, "cache"), HF_HUB_OFFLINE: "1" });
  assert.equal(run.code, 5);
  assert.match(run.stderr, /\[OFFLINE\]/);
  assert.ok(!existsSync(join(dir, "o.jsonl")));
});

test("a Hub id through HF_ENDPOINT and HF_HUB_CACHE, --revision, then offline from the cache", async (t) => {
  const dir = tempDir("splade-encode-e2e-");
  const hub = await startHubServer({ models: { "org/tiny": { main: DISTILBERT, "v1.0": BERT } } });
  t.after(() => hub.close());
  const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, "cache"), HF_HUB_OFFLINE: "0" };
  let run = await splade(["info", "--model", "org/tiny", "--revision", "v1.0", "--json"], env);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).architecture, "BertForMaskedLM");
  const input = join(dir, "in.txt");
  writeFileSync(input, "hello hub\n");
  run = await splade(["encode", "--model", "org/tiny", "--input", input, "--output", join(dir, "hub.jsonl")], env);
  assert.equal(run.code, 0, run.stderr);
  run = await splade(["encode", "--model", "org/tiny", "--input", input, "--output", join(dir, "offline.jsonl")], { ...env, HF_HUB_OFFLINE: "1" });
  assert.equal(run.code, 0, run.stderr);
  run = await splade(["encode", "--model", DISTILBERT, "--input", input, "--output", join(dir, "local.jsonl")]);
  assert.equal(run.code, 0, run.stderr);
  const local = readFileSync(join(dir, "local.jsonl"), "utf8");
  assert.equal(readFileSync(join(dir, "hub.jsonl"), "utf8"), local);
  assert.equal(readFileSync(join(dir, "offline.jsonl"), "utf8"), local);
});
