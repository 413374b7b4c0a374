/**
 * downloadFile against the local Hub stand-in (test/helpers/hub-server.ts): cache layout and bytes, cache
 * reuse, offline mode, token, revisions, 404s, renamed repositories, datasets, interrupted downloads and an
 * unreachable endpoint.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { downloadFile } from "../../src/hub/download.js";
import type { HubProgress } from "../../src/hub/options.js";
import { startHubServer, unusedLocalUrl, type HubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const DISTILBERT = "test/fixtures/tiny-distilbert-splade";
const BERT = "test/fixtures/tiny-bert-splade";

async function setUp(t: { after: (fn: () => Promise<void> | void) => void }, hubOptions?: Parameters<typeof startHubServer>[0]) {
  const hub: HubServer = await startHubServer(hubOptions ?? { models: { "org/tiny": DISTILBERT } });
  const cacheDir = tempDir("hub-cache-");
  t.after(() => hub.close());
  return { hub, cacheDir, options: { endpoint: hub.url, cacheDir } };
}

test("downloads into the huggingface_hub cache layout with identical bytes", async (t) => {
  const { hub, cacheDir, options } = await setUp(t);
  const commit = hub.commitOf("org/tiny");
  const progress: HubProgress[] = [];
  const config = await downloadFile("org/tiny", "config.json", options);
  const weights = await downloadFile("org/tiny", "model.safetensors", { ...options, onProgress: (p) => progress.push(p) });
  const pooling = await downloadFile("org/tiny", "1_SpladePooling/config.json", options);

  const root = join(cacheDir, "models--org--tiny");
  assert.equal(config, join(root, "snapshots", commit, "config.json"));
  assert.equal(pooling, join(root, "snapshots", commit, "1_SpladePooling", "config.json"));
  assert.equal(readFileSync(join(root, "refs", "main"), "utf8"), commit);
  for (const [path, original] of [[config, "config.json"], [weights, "model.safetensors"], [pooling, "1_SpladePooling/config.json"]]) {
    assert.ok(lstatSync(path).isSymbolicLink(), `${path} is a symlink`);
    assert.deepEqual(readFileSync(path), readFileSync(join(DISTILBERT, original)));
  }
  const sha256 = createHash("sha256").update(readFileSync(join(DISTILBERT, "model.safetensors"))).digest("hex");
  assert.equal(readlinkSync(weights), join("..", "..", "blobs", sha256));
  assert.match(readlinkSync(pooling), /^\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{40}$/);
  assert.equal(readdirSync(join(root, "blobs")).length, 3, "no temporary files left behind");
  const last = progress.at(-1)!;
  assert.deepEqual(last, { file: "model.safetensors", receivedBytes: last.totalBytes, totalBytes: 4172168 });
});

test("a second call uses the cache: one metadata request, no download; offline makes no request at all", async (t) => {
  const { hub, options } = await setUp(t);
  const first = await downloadFile("org/tiny", "model.safetensors", options);
  const requestsAfterFirst = hub.hits.length;
  assert.equal(hub.hits.filter((h) => h.path.startsWith("/cdn/")).length, 1);

  assert.equal(await downloadFile("org/tiny", "model.safetensors", options), first);
  assert.deepEqual(hub.hits.slice(requestsAfterFirst).map((h) => h.method), ["HEAD"]);

  const hitsBefore = hub.hits.length;
  assert.equal(await downloadFile("org/tiny", "model.safetensors", { ...options, offline: true }), first);
  assert.equal(await downloadFile("org/tiny", "model.safetensors", { ...options, revision: hub.commitOf("org/tiny") }), first);
  assert.equal(hub.hits.length, hitsBefore, "offline, or a cached commit hash, needs no request");
});

test("offline without a cache → OFFLINE naming the repository and the file", async (t) => {
  const { hub, options } = await setUp(t);
  await assert.rejects(downloadFile("org/tiny", "config.json", { ...options, offline: true }), {
    code: "OFFLINE",
    message: /'config\.json' of org\/tiny at revision 'main'.*HF_HUB_OFFLINE/,
  });
  await downloadFile("org/tiny", "config.json", options);
  await assert.rejects(downloadFile("org/tiny", "vocab.txt", { ...options, offline: true }), {
    code: "OFFLINE",
    message: /'vocab\.txt' of org\/tiny/,
  });
  assert.equal(await downloadFile("org/tiny", "tokenizer.json", { ...options, offline: true, optional: true }), null);
  assert.equal(hub.hits.length, 2, "one HEAD and one GET, all online");
});

test("a token is sent as a Bearer header; without it the server refuses → NETWORK mentioning HF_TOKEN", async (t) => {
  const { hub, options } = await setUp(t, { models: { "org/private": BERT }, token: "hf_secret" });
  await assert.rejects(downloadFile("org/private", "config.json", options), {
    code: "NETWORK",
    message: /HTTP 403 .*org\/private.*HF_TOKEN/,
  });
  const path = await downloadFile("org/private", "config.json", { ...options, token: "hf_secret" });
  assert.deepEqual(readFileSync(path), readFileSync(join(BERT, "config.json")));
  assert.equal(hub.hits.at(-1)!.authorization, "Bearer hf_secret");
});

test("the revision is honoured: URL, commit, refs/{revision} and content", async (t) => {
  const { hub, cacheDir, options } = await setUp(t, { models: { "org/tiny": { main: DISTILBERT, "v1.0": BERT } } });
  const v1 = await downloadFile("org/tiny", "config.json", { ...options, revision: "v1.0" });
  const main = await downloadFile("org/tiny", "config.json", options);
  assert.deepEqual(readFileSync(v1), readFileSync(join(BERT, "config.json")));
  assert.deepEqual(readFileSync(main), readFileSync(join(DISTILBERT, "config.json")));
  const refs = join(cacheDir, "models--org--tiny", "refs");
  assert.equal(readFileSync(join(refs, "v1.0"), "utf8"), hub.commitOf("org/tiny", "v1.0"));
  assert.ok(v1.includes(hub.commitOf("org/tiny", "v1.0")));
  assert.ok(hub.hits.some((h) => h.path === "/org/tiny/resolve/v1.0/config.json"));
  await assert.rejects(downloadFile("org/tiny", "config.json", { ...options, revision: "v2" }), {
    code: "NOT_FOUND",
    message: /revision 'v2' not found in org\/tiny/,
  });
});

test("404: an optional file is null, a required one NOT_FOUND naming repo, revision and file", async (t) => {
  const { options } = await setUp(t);
  assert.equal(await downloadFile("org/tiny", "onnx/model.onnx", { ...options, optional: true }), null);
  await assert.rejects(downloadFile("org/tiny", "onnx/model.onnx", options), {
    code: "NOT_FOUND",
    message: /'onnx\/model\.onnx' not found in org\/tiny at revision 'main'/,
  });
  await assert.rejects(downloadFile("org/missing", "config.json", { ...options, optional: true }), {
    code: "NOT_FOUND",
    message: /repository org\/missing not found.*HF_TOKEN/,
  });
});

test("a renamed repository's relative redirect is followed; the cache uses the id asked for", async (t) => {
  const { cacheDir, options } = await setUp(t, { models: { "org/new-name": DISTILBERT }, renamed: { "org/old-name": "org/new-name" } });
  const path = await downloadFile("org/old-name", "model.safetensors", options);
  assert.ok(path.startsWith(join(cacheDir, "models--org--old-name", "snapshots")));
  assert.deepEqual(readFileSync(path), readFileSync(join(DISTILBERT, "model.safetensors")));
});

test("dataset repositories: /datasets/ URLs and datasets--org--name folders", async (t) => {
  const { hub, cacheDir, options } = await setUp(t, { datasets: { "org/nano": BERT } });
  const path = await downloadFile("org/nano", "vocab.txt", { ...options, repoType: "dataset" });
  assert.equal(path, join(cacheDir, "datasets--org--nano", "snapshots", hub.commitOf("org/nano", "main", "dataset"), "vocab.txt"));
  assert.ok(hub.hits.every((h) => h.path.startsWith("/datasets/org/nano/resolve/")));
  await assert.rejects(downloadFile("org/nano", "vocab.txt", options), { code: "NOT_FOUND", message: /repository org\/nano/ });
});

test("an interrupted download → NETWORK and no blob or snapshot entry; a retry succeeds", async (t) => {
  const { hub, cacheDir, options } = await setUp(t);
  const root = join(cacheDir, "models--org--tiny");
  for (const file of ["model.safetensors", "vocab.txt"]) {
    hub.interruptNextDownload(file, 1000);
    await assert.rejects(downloadFile("org/tiny", file, options), { code: "NETWORK", message: /after 1000 bytes/ });
    assert.deepEqual(readdirSync(join(root, "blobs")), [], `${file}: nothing in blobs/`);
    assert.ok(!existsSync(join(root, "snapshots", hub.commitOf("org/tiny"), file)));
    const path = await downloadFile("org/tiny", file, options);
    assert.deepEqual(readFileSync(path), readFileSync(join(DISTILBERT, file)));
    rmSync(join(root, "blobs"), { recursive: true });
  }
});

test("an unreachable endpoint → NETWORK with the URL and a hint about HF_ENDPOINT / offline mode", async () => {
  const cacheDir = tempDir("hub-cache-");
  const endpoint = await unusedLocalUrl();
  await assert.rejects(downloadFile("org/tiny", "config.json", { endpoint, cacheDir }), (e: Error & { code?: string }) => {
    assert.equal(e.code, "NETWORK");
    assert.ok(e.message.includes(`${endpoint}/org/tiny/resolve/main/config.json`), e.message);
    assert.match(e.message, /ECONNREFUSED.*HF_ENDPOINT.*HF_HUB_OFFLINE=1/);
    return true;
  });
});

test("invalid ids, file paths and revisions → INVALID_ARGUMENT before any request", async () => {
  const options = { endpoint: "http://127.0.0.1:9", cacheDir: tmpdir() };
  await assert.rejects(downloadFile("a/b/c", "config.json", options), { code: "INVALID_ARGUMENT" });
  await assert.rejects(downloadFile("org--x", "config.json", options), { code: "INVALID_ARGUMENT" });
  await assert.rejects(downloadFile("org/x", "../etc/passwd", options), { code: "INVALID_ARGUMENT" });
  await assert.rejects(downloadFile("org/x", "config.json", { ...options, revision: "../main" }), { code: "INVALID_ARGUMENT" });
});

test("LFS content that does not match its sha256 ETag → CHECKSUM_MISMATCH and no blob (injected fetch)", async (t) => {
  const { cacheDir, options } = await setUp(t);
  const corrupting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!response.url.includes("/cdn/")) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    bytes[100] ^= 0xff;
    return new Response(bytes, { status: 200, headers: response.headers });
  };
  await assert.rejects(downloadFile("org/tiny", "model.safetensors", { ...options, fetch: corrupting }), {
    code: "CHECKSUM_MISMATCH",
    message: /model\.safetensors.*sha256/,
  });
  assert.deepEqual(readdirSync(join(cacheDir, "models--org--tiny", "blobs")), []);
});

test("an aborted signal → CANCELLED", async (t) => {
  const { options } = await setUp(t);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(downloadFile("org/tiny", "config.json", { ...options, signal: controller.signal }), { code: "CANCELLED" });
});
