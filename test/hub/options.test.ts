/**
 * hubOptionsFromEnv reads the variables huggingface_hub reads, with its precedence; repository names and
 * URLs are spelled as huggingface_hub spells them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { hubOptionsFromEnv } from "../../src/hub/options.js";
import { isValidRepoId, repoFolderName, resolveUrl } from "../../src/hub/repo.js";
import { tempDir } from "../helpers/temp-dir.js";

test("cache folder: HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache", () => {
  assert.equal(hubOptionsFromEnv({ HOME: "/home/u" }).cacheDir, "/home/u/.cache/huggingface/hub");
  assert.equal(hubOptionsFromEnv({ HOME: "/home/u", XDG_CACHE_HOME: "/xdg" }).cacheDir, "/xdg/huggingface/hub");
  assert.equal(hubOptionsFromEnv({ HOME: "/home/u", HF_HOME: "~/hf" }).cacheDir, "/home/u/hf/hub");
  assert.equal(hubOptionsFromEnv({ HOME: "/home/u", HF_HOME: "/hf", HF_HUB_CACHE: "/cache" }).cacheDir, "/cache");
  assert.equal(hubOptionsFromEnv({ HOME: "/home/u", HUGGINGFACE_HUB_CACHE: "/legacy" }).cacheDir, "/legacy");
});

test("endpoint, offline flag and token", (t) => {
  const hfHome = tempDir("hf-home-");
  const base = { HOME: "/home/u", HF_HOME: hfHome };
  assert.deepEqual(hubOptionsFromEnv(base), { cacheDir: join(hfHome, "hub"), offline: false });
  assert.equal(hubOptionsFromEnv({ ...base, HF_ENDPOINT: "http://mirror.local/" }).endpoint, "http://mirror.local");
  for (const value of ["1", "on", "YES", "true"]) assert.equal(hubOptionsFromEnv({ ...base, HF_HUB_OFFLINE: value }).offline, true);
  assert.equal(hubOptionsFromEnv({ ...base, HF_HUB_OFFLINE: "0" }).offline, false);
  assert.equal(hubOptionsFromEnv({ ...base, TRANSFORMERS_OFFLINE: "1" }).offline, true);

  writeFileSync(join(hfHome, "token"), "hf_from_file\n");
  assert.equal(hubOptionsFromEnv(base).token, "hf_from_file", "the file `huggingface-cli login` writes");
  assert.equal(hubOptionsFromEnv({ ...base, HF_TOKEN: "hf_env" }).token, "hf_env");
  assert.equal(hubOptionsFromEnv({ ...base, HF_TOKEN_PATH: join(hfHome, "nope") }).token, undefined);
});

test("repository folder names, URLs and id validation", () => {
  assert.equal(repoFolderName({ id: "naver/splade-v3", type: "model" }), "models--naver--splade-v3");
  assert.equal(repoFolderName({ id: "bert-base-uncased", type: "model" }), "models--bert-base-uncased");
  assert.equal(repoFolderName({ id: "zeta-alpha-ai/NanoMSMARCO", type: "dataset" }), "datasets--zeta-alpha-ai--NanoMSMARCO");
  assert.equal(
    resolveUrl("https://huggingface.co", { id: "org/data", type: "dataset" }, "refs/pr/1", "corpus/train 1.parquet"),
    "https://huggingface.co/datasets/org/data/resolve/refs%2Fpr%2F1/corpus/train%201.parquet",
  );
  for (const id of ["org/name", "name", "Org_1/na.me-2"]) assert.ok(isValidRepoId(id), id);
  for (const id of ["a/b/c", "org--x/y", "org/..x", "", "org/", "/name", "./x", "x".repeat(97)]) assert.ok(!isValidRepoId(id), id);
});
