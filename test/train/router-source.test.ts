/**
 * Inference-free Router models as training sources (src/train/router-source.ts, model-source.ts, routing.ts):
 * both fixture layouts load; the training routes reproduce the float64 goldens (the SparseStaticEmbedding
 * column as the step graph computes it, the document MLM as its loaded weights encode); router_mapping and
 * learning_rate_mapping resolve as upstream, and bad mappings are refused with messages that say what to do.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ModelSession } from "../../src/encoder/model-session.js";
import { denseRowToSparse } from "../../src/encoder/vector-ops.js";
import { fromDense } from "../../src/sparse/ops.js";
import { GraphBuilder } from "../../src/graph/builder.js";
import { serializeModel } from "../../src/graph/onnx-proto.js";
import { GraphSession, ort } from "../../src/graph/session.js";
import { learningRateGroups, parseLearningRateMapping } from "../../src/train/optimizer/lr-mapping.js";
import { loadTrainingModel, type TrainingModelSource } from "../../src/train/model-source.js";
import { upstreamParameterNames } from "../../src/train/param-names.js";
import { parseRouterMapping, routeColumns } from "../../src/train/routing.js";
import { sparseStaticEmbedding } from "../../src/train/static-embedding-graph.js";
import { isSpladeError } from "../../src/util/errors.js";
import { compareSparse, encodeGoldens, FIXTURES } from "../parity/golden.js";
import { MODEL_DIR } from "./fixture.js";

const ST_NATIVE = "tiny-inference-free-splade";
const OPENSEARCH = "tiny-opensearch-inference-free";
const NAMES = ["query", "positive", "negative"];

test("both Router layouts load: routes, default route, module folders, static weight and its tokenizer", async () => {
  const st = await loadTrainingModel(join(FIXTURES, ST_NATIVE));
  assert.deepEqual([...st.router!.routes], [["query", "static"], ["document", "mlm"]]);
  assert.equal(st.router!.defaultRoute, "document");
  assert.deepEqual([st.router!.static.moduleId, st.router!.mlm.moduleId, st.router!.mlm.poolingModuleId], ["query_0_SparseStaticEmbedding", "document_0_MLMTransformer", "document_1_SpladePooling"]);
  assert.deepEqual([st.router!.static.maxLength, st.router!.static.frozen, st.maxSeqLength, st.pooling.activation], [512, false, 256, "log1p_relu"]);
  assert.equal(st.router!.static.weight.length, 30522);
  const os = await loadTrainingModel(join(FIXTURES, OPENSEARCH));
  assert.deepEqual([os.router!.mlm.moduleId, os.router!.static.frozen, os.maxSeqLength, os.config.hidden, os.pooling.activation], ["", true, 512, 24, "relu"]);
});

async function staticEmbeddings(source: TrainingModelSource, texts: string[]): Promise<{ ids: number[][]; dense: Float32Array }> {
  const routing = routeColumns(source, ["query"], { query: "query" });
  const column = routing.tokenizers[0](texts);
  const g = new GraphBuilder("static");
  const w = g.input("w", "float32", [source.config.vocabSize]);
  const ids = g.input("ids", "int64", ["batch", "tokens"]);
  const mask = g.input("mask", "int64", ["batch", "tokens"]);
  g.output(sparseStaticEmbedding(g, w, ids, mask, { vocabSize: source.config.vocabSize, padId: routing.staticRoute!.padId }), "y", "float32", ["batch", source.config.vocabSize]);
  const s = await GraphSession.create(serializeModel(g.ir), { threads: 1 });
  const out = await s.run({
    w: new ort.Tensor("float32", source.router!.static.weight, [source.config.vocabSize]),
    ids: new ort.Tensor("int64", column.inputIds, [column.batchSize, column.seqLen]),
    mask: new ort.Tensor("int64", column.attentionMask, [column.batchSize, column.seqLen]),
  });
  await s.release();
  const rows = texts.map((_, b) => {
    const row: number[] = [];
    for (let t = 0; t < column.seqLen; t++) if (column.attentionMask[b * column.seqLen + t] === 1n) row.push(Number(column.inputIds[b * column.seqLen + t]));
    return row;
  });
  return { ids: rows, dense: out.y.data as Float32Array };
}

for (const model of [ST_NATIVE, OPENSEARCH]) {
  test(`${model}: the static query column of the training graph matches the query goldens (ids and weights)`, async () => {
    const source = await loadTrainingModel(join(FIXTURES, model));
    const goldens = encodeGoldens(model).filter((g) => (g.task as string | null) === "query");
    assert.ok(goldens.length > 100);
    const { ids, dense } = await staticEmbeddings(source, goldens.map((g) => g.text));
    const V = source.config.vocabSize;
    goldens.forEach((golden, i) => {
      assert.deepEqual(ids[i], golden.input_ids, `input ids of ${JSON.stringify(golden.text.slice(0, 40))}`);
      const failure = compareSparse(fromDense(dense.subarray(i * V, (i + 1) * V)), golden, golden.text.slice(0, 40));
      assert.equal(failure, undefined, failure);
    });
  });

  test(`${model}: the document MLM the Router source loads matches the document goldens`, async () => {
    const source = await loadTrainingModel(join(FIXTURES, model));
    const goldens = encodeGoldens(model).filter((g) => (g.task as string | null) === "document").slice(0, 40);
    const session = await ModelSession.create(source.config, source.weights, { pooling: source.pooling, kernels: "plain", threads: 1 });
    try {
      for (const golden of goldens) {
        const e = source.tokenizer.encodeBatch([golden.text.trim()], { maxLength: source.maxSeqLength });
        assert.deepEqual(Array.from(e.inputIds, Number), golden.input_ids, golden.text.slice(0, 40));
        const failure = compareSparse(denseRowToSparse((await session.run(e)).splade, 0, source.config.vocabSize), golden, golden.text.slice(0, 40));
        assert.equal(failure, undefined, failure);
      }
    } finally {
      await session.release();
    }
  });
}

function refuses(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => isSpladeError(e, "INVALID_ARGUMENT") && pattern.test((e as Error).message));
}

test("router_mapping: mapped columns take their route, the others the default route; bad mappings are refused", async () => {
  const source = await loadTrainingModel(join(FIXTURES, ST_NATIVE));
  assert.deepEqual(routeColumns(source, NAMES, { query: "query" }).routes, ["static", "mlm", "mlm"]);
  assert.deepEqual(routeColumns(source, NAMES, { query: "query", positive: "document", negative: "document" }).routes, ["static", "mlm", "mlm"]);
  assert.deepEqual(routeColumns(source, NAMES, { positive: "query" }).routes, ["mlm", "static", "mlm"]);
  const routing = routeColumns(source, NAMES, { query: "query" });
  assert.deepEqual(routing.staticRoute, { name: "query_0_SparseStaticEmbedding.weight", padId: 0, nonNegative: true });
  assert.equal(routeColumns(source, NAMES, { query: "query" }, { nonNegativeStaticWeights: false }).staticRoute!.nonNegative, false);
  const frozen = routeColumns(await loadTrainingModel(join(FIXTURES, OPENSEARCH)), NAMES, { query: "query" });
  assert.equal(frozen.staticRoute!.frozenWeight!.length, 30522, "a frozen weight is a constant");
  assert.equal(routeColumns(source, NAMES, { negative: "document" }).staticRoute, undefined, "no column uses the static route");

  refuses(() => routeColumns(source, NAMES, undefined), /Router model .*router mapping.*"query":"query"/);
  refuses(() => routeColumns(source, NAMES, { querry: "query" }), /column "querry".*query, positive, negative/);
  refuses(() => routeColumns(source, NAMES, { query: "queries" }), /route "queries".*query, document/);
  const plain = await loadTrainingModel(MODEL_DIR);
  refuses(() => routeColumns(plain, NAMES, { query: "query" }), /Router models only/);
  assert.deepEqual(routeColumns(plain, NAMES, undefined).routes, ["mlm", "mlm", "mlm"]);
  assert.deepEqual(parseRouterMapping('{"query": "query"}'), { query: "query" });
  refuses(() => parseRouterMapping('{"train": {"query": "query"}}'), /per-dataset/);
  refuses(() => parseRouterMapping("query=query"), /not valid JSON/);
});

test("learning_rate_mapping: upstream's documented patterns select the static weight; the last match wins; no match is an error", async () => {
  const source = await loadTrainingModel(join(FIXTURES, ST_NATIVE));
  const params = ["query_0_SparseStaticEmbedding.weight", "distilbert.embeddings.word_embeddings.weight", "vocab_projector.bias"];
  const names = (p: string) => upstreamParameterNames(source, p);
  assert.deepEqual(names(params[0]), ["model.0.query_0_SparseStaticEmbedding.weight", "model.0.sub_modules.query.0.weight"]);
  assert.deepEqual(names(params[2]), ["model.0.document_0_MLMTransformer.auto_model.vocab_projector.bias", "model.0.sub_modules.document.0.auto_model.vocab_projector.bias"]);
  for (const pattern of ["SparseStaticEmbedding\\.weight", "SparseStaticEmbedding\\.*", "sub_modules\\.query"]) {
    const { groupOf, count } = learningRateGroups(params, { [pattern]: 1e-3 }, names);
    assert.deepEqual([...groupOf.values()], [1, 0, 0], pattern);
    assert.equal(count, 2);
  }
  const both = learningRateGroups(params, { "auto_model": 1e-4, "vocab_projector": 1e-2 }, names);
  assert.deepEqual([...both.groupOf.values()], [0, 1, 2], "the later pattern takes vocab_projector.bias");
  refuses(() => learningRateGroups(params, { "IDF\\.weight": 1e-3 }, names), /no parameter matches "IDF\\\\.weight"/);
  refuses(() => parseLearningRateMapping('{"(": 1e-3}'), /not a valid regular expression/);
  refuses(() => parseLearningRateMapping('{"x": "fast"}'), /non-negative number/);
  assert.deepEqual(upstreamParameterNames(await loadTrainingModel(MODEL_DIR), "vocab_projector.bias"), ["model.0.auto_model.vocab_projector.bias"]);
});
