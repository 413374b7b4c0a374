// NanoBEIR over a local Hub server serving Parquet files the test writes: download into the HF cache,
// offline mode, names, and bad files.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startHubServer } from "../helpers/hub-server.js";
import { loadNanoBeirDataset, NANOBEIR_FILES, parseNanoBeirNames, nanoBeirRepoId } from "../../src/eval/nanobeir.js";
import { evaluatedQueries } from "../../src/eval/dataset.js";
import { isSpladeError } from "../../src/util/errors.js";
import { writeNanoBeirRepo } from "./helpers/nanobeir-fixture.js";
import { tempDir } from "../helpers/temp-dir.js";

const msmarco = writeNanoBeirRepo({
  corpus: [
    { _id: "d1", text: "the cat sat" },
    { _id: "d2", text: "" }, // empty: dropped, as upstream does
    { _id: "d3", text: "dogs bark" },
  ],
  queries: [
    { _id: "q1", text: "cat" },
    { _id: "q2", text: "dog" },
    { _id: "q3", text: "" },
  ],
  qrels: [
    { "query-id": "q1", "corpus-id": "d1" },
    { "query-id": "q2", "corpus-id": "d3" },
  ],
});
const broken = writeNanoBeirRepo({ corpus: [{ _id: "a", text: "x" }], queries: [{ _id: "q", text: "x" }], qrels: [] });
writeFileSync(join(broken, NANOBEIR_FILES.qrels), "this is not parquet");

const hub = await startHubServer({
  datasets: { "zeta-alpha-ai/NanoMSMARCO": msmarco, "zeta-alpha-ai/NanoNQ": broken },
});
after(() => hub.close());

test("names: all, lists, case and the Nano prefix; unknown names are listed", () => {
  assert.equal(parseNanoBeirNames("all").length, 13);
  assert.deepEqual(parseNanoBeirNames("msmarco, NanoNQ,MSMARCO"), ["msmarco", "nq"]);
  assert.equal(nanoBeirRepoId("touche2020"), "zeta-alpha-ai/NanoTouche2020");
  assert.throws(() => parseNanoBeirNames("msmarco,beir"), (e) => isSpladeError(e, "INVALID_ARGUMENT") && /"beir".*valid names: all, climatefever/.test(e.message));
});

test("downloads the three configs into the HF cache, then works offline", async () => {
  const cacheDir = tempDir("splade-hf-cache-");
  const dataset = await loadNanoBeirDataset("msmarco", { endpoint: hub.url, cacheDir });
  assert.equal(dataset.name, "NanoMSMARCO");
  assert.deepEqual(dataset.corpus.ids, ["d1", "d3"]);
  assert.deepEqual(dataset.queries.texts, ["cat", "dog"]);
  assert.deepEqual([...dataset.qrels.get("q2")!], [["d3", 1]]);
  assert.deepEqual(evaluatedQueries(dataset).ids, ["q1", "q2"]);
  const commit = hub.commitOf("zeta-alpha-ai/NanoMSMARCO", "main", "dataset");
  assert.ok(existsSync(join(cacheDir, "datasets--zeta-alpha-ai--NanoMSMARCO", "snapshots", commit, NANOBEIR_FILES.corpus)));
  const requests = hub.hits.length;
  const offline = await loadNanoBeirDataset("msmarco", { endpoint: hub.url, cacheDir, offline: true });
  assert.deepEqual(offline, dataset);
  assert.equal(hub.hits.length, requests);
});

test("offline without a cache, unknown repositories and bad Parquet give clear errors", async () => {
  const cacheDir = tempDir("splade-hf-cache-");
  await assert.rejects(loadNanoBeirDataset("msmarco", { endpoint: hub.url, cacheDir, offline: true }), (e) => isSpladeError(e, "OFFLINE"));
  await assert.rejects(loadNanoBeirDataset("fever", { endpoint: hub.url, cacheDir }), (e) => isSpladeError(e) && /NanoFEVER/.test(e.message));
  await assert.rejects(
    loadNanoBeirDataset("nq", { endpoint: hub.url, cacheDir }),
    (e) => isSpladeError(e, "INVALID_FILE") && /qrels\/train-00000-of-00001\.parquet is not a readable Parquet file/.test(e.message),
  );
});

test("a Parquet file without the expected columns names them", async () => {
  const wrong = writeNanoBeirRepo({ corpus: [{ _id: "a", text: "x" }], queries: [{ _id: "q", text: "x" }], qrels: [{ "query-id": "q", "corpus-id": "a" }] });
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  writeFileSync(
    join(wrong, NANOBEIR_FILES.corpus),
    new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "id", data: ["a"], type: "STRING" }] })),
  );
  const server = await startHubServer({ datasets: { "zeta-alpha-ai/NanoSciFact": wrong } });
  try {
    const cacheDir = tempDir("splade-hf-cache-");
    await assert.rejects(
      loadNanoBeirDataset("scifact", { endpoint: server.url, cacheDir }),
      (e) => isSpladeError(e, "INVALID_FILE") && /missing column\(s\) "_id", "text" \(has id\)/.test(e.message),
    );
  } finally {
    await server.close();
  }
});
