/**
 * The search page in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser; .ci/run installs `chromium` with apt-get). A SciFact claim is typed into the page served over a
 * BM25 index of the whole SciFact corpus (with titles); the ranked hits and their contribution bars appear,
 * the first hit's bars add up to its score (within the 3-decimal display rounding), and with a SPLADE index
 * added the expansion terms are marked apart. Screenshots go to test/artifacts/ (ignored by git).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createEncoder } from "../../src/app/encoders.js";
import { buildIndexFromCorpus } from "../../src/app/index-corpus.js";
import { buildIndex, tempDir, SPLADE_MODEL } from "./helpers/indexes.js";
import { post, startServer } from "./helpers/http.js";

const CHROMIUM = "/usr/bin/chromium";
const SCIFACT = "test/data/scifact";
const ARTIFACTS = "test/artifacts";
/** Flags for a closed network: no first-run, sync, component updates or background fetches. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const claim = (id: string) =>
  readFileSync(join(SCIFACT, "queries.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { _id: string; text: string })
    .find((q) => q._id === id)!.text;

test("the search page shows ranked SciFact hits with contribution bars that add up to the score", { timeout: 180_000 }, async (t) => {
  const started = performance.now();
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  const dir = tempDir("splade-serve-");
  const bm25 = join(dir, "scifact");
  const encoder = await createEncoder("bm25");
  await buildIndexFromCorpus(join(SCIFACT, "corpus.jsonl"), bm25, encoder, { title: true });
  const corpus = readFileSync(join(SCIFACT, "corpus.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "").slice(0, 200).map((l) => JSON.parse(l));
  const splade = await buildIndex(dir, "tiny-splade", SPLADE_MODEL, corpus);
  const { url } = await startServer(t, { indexes: [bm25, splade], threads: 1 });
  const step = (what: string) => t.diagnostic(`${what} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  step("indexes built, server listening");

  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "splade-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 1500 } });
  t.after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  step("browser started");
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(url + "/");
  await page.waitForSelector('#indexes input[value="scifact"]');
  assert.equal(await page.isChecked('#indexes input[value="scifact"]'), true);
  assert.equal(await page.isChecked('#indexes input[value="tiny-splade"]'), false);

  const query = claim("3"); // "1,000 genomes project enables mapping of genetic sequence variation …"
  await page.locator("#query").fill(query);
  await page.keyboard.press("Enter");
  await page.waitForSelector("li.hit .bar");
  step("hits shown");
  const hits = page.locator("li.hit");
  assert.equal(await hits.count(), 10);
  const expected = await post(url, "/search", { query, k: 10, indexes: ["scifact"] });
  assert.deepEqual(await hits.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { id: string } }).dataset.id)), expected.body.hits.map((h: { id: string }) => h.id), "the ranking the API gives");
  const scores = await page.locator("li.hit .score").evaluateAll((els) => els.map((e) => Number((e as unknown as { dataset: { score: string } }).dataset.score)));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "best first");
  assert.ok((await hits.locator(".doc-id").allTextContents()).includes("14717500"), "SciFact's relevant abstract for claim 3 is among the hits");
  assert.ok(((await hits.first().locator(".title").textContent()) ?? "").length > 10);
  assert.ok(((await hits.first().locator(".snippet").textContent()) ?? "").length > 50);

  const shown = await hits.first().locator(".bar .bar-value").allTextContents();
  const shownScore = Number(await hits.first().locator(".score").textContent());
  const sum = shown.reduce((s, v) => s + Number(v), 0);
  assert.ok(shown.length >= 3, `several bars (${shown.length})`);
  assert.ok(Math.abs(sum - shownScore) <= 0.0005 * (shown.length + 1), `the bars (${shown.join(" + ")} = ${sum.toFixed(4)}) add up to the score ${shownScore}`);
  assert.ok((await page.locator("#query-vector .bar").count()) > 5, "the query's own vector is drawn");
  assert.equal(await page.locator(".bar.expansion").count(), 0, "BM25 expands nothing");
  await page.screenshot({ path: join(ARTIFACTS, "search-page-bm25.png") });

  await page.check('#indexes input[value="tiny-splade"]');
  await page.locator("button[type=submit]").click();
  await page.waitForSelector("#results .source-head");
  assert.match((await page.locator("#status").textContent()) ?? "", /RRF over 2 indexes/);
  assert.ok((await page.locator("#query-vector .bar.expansion").count()) > 0, "the SPLADE query's expansion terms are marked");
  assert.ok((await page.locator("li.hit .bar.expansion .mark").count()) > 0, "expansion bars carry a + mark");
  await page.screenshot({ path: join(ARTIFACTS, "search-page-rrf.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
