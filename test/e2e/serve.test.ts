/** `splade serve` as a user runs it: the key from --api-key-env, and one-line errors with exit codes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { splade } from "../helpers/cli.js";
import { buildIndex, tempDir } from "../server/helpers/indexes.js";
import { startServeChild } from "../server/helpers/child.js";
import { get, post } from "../server/helpers/http.js";

test("serve --api-key-env: writes need the key from the environment; --read-only servers share an index", async (t) => {
  const dir = tempDir("splade-serve-");
  const index = await buildIndex(dir, "facts");
  const server = await startServeChild(["--index", index, "--api-key-env", "SPLADE_TEST_KEY"], { SPLADE_TEST_KEY: "k-123" });
  t.after(() => server.child.kill("SIGKILL"));
  assert.match(server.stderr(), /listening on http:\/\/127\.0\.0\.1:\d+ \(indexes: facts; search page at/);
  const doc = { documents: [{ id: "e1", text: "end to end" }] };
  assert.equal((await post(server.url, "/indexes/facts/documents", doc)).status, 401);
  assert.equal((await post(server.url, "/indexes/facts/documents", doc, { authorization: "Bearer k-123" })).status, 200);
  assert.equal((await post(server.url, "/search", { query: "end to end" })).body.hits[0].id, "e1");

  const locked = await splade(["serve", "--index", index, "--port", "0"]);
  assert.equal(locked.code, 2, locked.stderr);
  assert.match(locked.stderr, /^splade: error \[INVALID_ARGUMENT\]: .*facts: the index is being written by process \d+ \(index\.lock\)/);

  const reader = await startServeChild(["--index", index, "--read-only"]);
  t.after(() => reader.child.kill("SIGKILL"));
  assert.match(reader.stderr(), /indexes: facts \(read-only\)/);
  assert.equal((await get(reader.url, "/indexes/facts/documents/e1")).status, 200);
  server.child.kill("SIGTERM");
  reader.child.kill("SIGTERM");
  assert.equal((await server.exited).code, 0);
  assert.equal((await reader.exited).code, 0);
});

test("serve refuses bad setups with one line and an exit code", async (t) => {
  const dir = tempDir("splade-serve-");
  const index = await buildIndex(dir, "facts");
  const noKey = await splade(["serve", "--index", index, "--api-key-env", "SPLADE_UNSET_VARIABLE"]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /--api-key-env: the environment variable SPLADE_UNSET_VARIABLE is not set or empty/);
  const protectOnly = await splade(["serve", "--index", index, "--protect-reads"]);
  assert.equal(protectOnly.code, 2);
  assert.match(protectOnly.stderr, /--protect-reads needs --api-key-env/);
  const missing = await splade(["serve", "--index", `${dir}/nothing-here`]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /nothing-here.*no index here/);
  const twice = await splade(["serve", "--index", index, "--index", index, "--read-only"]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /two indexes are named "facts"/);
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  t.after(() => busy.close());
  const port = (busy.address() as { port: number }).port;
  const inUse = await splade(["serve", "--index", index, "--port", String(port)]);
  assert.equal(inUse.code, 2, inUse.stderr);
  assert.match(inUse.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: address already in use`));
  const badPort = await splade(["serve", "--index", index, "--port", "70000"]);
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /--port: expected 0–65535, got 70000/);
});
