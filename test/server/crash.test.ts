/**
 * Killing the server at random points loses nothing it acknowledged. A real `splade serve` child takes a
 * stream of concurrent writes (batches of new documents, and deletes of acknowledged ones) and is SIGKILLed
 * at a random moment after its first acknowledged write, 20 times; small commits make the merge policy run
 * too, so kills also land in merges.
 * After each kill the index must open with every checksum verified, hold every acknowledged write (documents
 * with exactly the text and payload sent; acknowledged deletes gone), show each unacknowledged batch entirely
 * or not at all, and hold nothing else. The next server takes over the dead one's stale lock.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SparseIndex } from "../../src/index/sparse-index.js";
import { Rng } from "../../src/util/rng.js";
import { buildIndex, CORPUS, tempDir } from "./helpers/indexes.js";
import { call, get, post } from "./helpers/http.js";
import { startServeChild } from "./helpers/child.js";

const ROUNDS = 20;

interface Doc {
  id: string;
  text: string;
  payload: { round: number; n: number };
}

/** What the index may hold: acknowledged state, plus writes whose answer never came (either outcome). */
class Ledger {
  readonly docs = new Map<string, Doc>();
  readonly live = new Set<string>(); // acknowledged adds, not (being) deleted
  readonly deleted = new Set<string>(); // acknowledged deletes
  readonly pendingBatches: string[][] = []; // adds sent, not answered
  readonly pendingDeletes = new Set<string>(); // deletes sent, not answered
}

/** Three concurrent writers until the server dies; `stop.acked()` is called at each acknowledged write. */
async function writeUntilKilled(url: string, round: number, ledger: Ledger, rng: Rng, stop: { stopped: boolean; acked: () => void }): Promise<number> {
  let n = 0;
  let acknowledged = 0;
  const worker = async () => {
    while (!stop.stopped) {
      if (ledger.live.size > 0 && rng.next() < 0.2) {
        const ids = [...ledger.live];
        const id = ids[rng.int(ids.length)];
        ledger.live.delete(id);
        ledger.pendingDeletes.add(id);
        const r = await call(url, "DELETE", `/indexes/facts/documents/${encodeURIComponent(id)}`).catch(() => null);
        if (r === null) return;
        assert.equal(r.status, 200, r.text);
        ledger.pendingDeletes.delete(id);
        ledger.deleted.add(id);
        acknowledged++;
        stop.acked();
        continue;
      }
      const batch: Doc[] = Array.from({ length: 1 + rng.int(12) }, () => {
        const k = n++;
        return { id: `r${round}-${k}`, text: `crash round ${round} write ${k} ${"lorem ipsum ".repeat(rng.int(20))}`, payload: { round, n: k } };
      });
      const ids = batch.map((d) => d.id);
      for (const d of batch) ledger.docs.set(d.id, d);
      ledger.pendingBatches.push(ids);
      const r = await post(url, "/indexes/facts/documents", { documents: batch }).catch(() => null);
      if (r === null) return;
      assert.equal(r.status, 200, r.text);
      ledger.pendingBatches.splice(ledger.pendingBatches.indexOf(ids), 1);
      for (const id of ids) ledger.live.add(id);
      acknowledged++;
      stop.acked();
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return acknowledged;
}

/** Checks the index against the ledger, then settles the unanswered writes by what the index shows. */
function checkIndex(dir: string, ledger: Ledger): { documents: number; segments: number } {
  const index = SparseIndex.openSync(dir, { verify: true });
  const found = new Map<string, unknown>();
  for (const { segment, deleted, baseOrdinal } of index.segments) {
    for (let p = 0; p < segment.docCount; p++) {
      if (deleted !== null && (deleted[p >>> 5] & (1 << (p & 31))) !== 0) continue;
      const { id, payload } = index.document(baseOrdinal + p);
      assert.ok(!found.has(id), `id ${id} appears once`);
      found.set(id, payload);
    }
  }
  const whole = (id: string) => {
    const doc = ledger.docs.get(id)!;
    assert.deepEqual(found.get(id), { text: doc.text, payload: doc.payload }, `${id} is there, whole`);
  };
  for (const id of ledger.live) whole(id);
  for (const id of ledger.deleted) assert.equal(found.has(id), false, `acknowledged delete of ${id}`);
  for (const ids of ledger.pendingBatches) {
    const present = ids.filter((id) => found.has(id));
    assert.ok(present.length === 0 || present.length === ids.length, `an unanswered batch is all there or not at all (${present.length}/${ids.length})`);
    present.forEach(whole);
  }
  for (const id of ledger.pendingDeletes) if (found.has(id)) whole(id);
  const corpus = new Set(CORPUS.map((d) => d._id));
  for (const id of found.keys()) assert.ok(corpus.has(id) || ledger.docs.has(id), `nothing unknown: ${id}`);
  for (const ids of ledger.pendingBatches.splice(0)) if (found.has(ids[0])) for (const id of ids) ledger.live.add(id);
  for (const id of ledger.pendingDeletes) (found.has(id) ? ledger.live : ledger.deleted).add(id);
  ledger.pendingDeletes.clear();
  return { documents: found.size, segments: index.segments.length };
}

test(`SIGKILL at random points, ${ROUNDS} times: every acknowledged write survives, nothing half-written`, { timeout: 600_000 }, async (t) => {
  const dir = tempDir("splade-serve-");
  const index = await buildIndex(dir, "facts");
  const rng = new Rng(11);
  const ledger = new Ledger();
  let kills = 0;
  let acknowledgedTotal = 0;
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const server = await startServeChild(["--index", index, "--quiet"]);
    t.after(() => server.child.kill("SIGKILL"));
    if (round % 5 === 0) {
      // Through the restarted server: acknowledged documents read back by id.
      for (const id of [...ledger.live].slice(-5)) {
        const r = await get(server.url, `/indexes/facts/documents/${encodeURIComponent(id)}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.text, ledger.docs.get(id)!.text);
      }
    }
    // The kill comes at a random point after the round's first acknowledged write, so that every round
    // kills a server with acknowledged writes behind it however slow the machine is.
    let firstAck!: () => void;
    const acked = new Promise<void>((resolve) => (firstAck = resolve));
    const stop = { stopped: false, acked: () => firstAck() };
    const writing = writeUntilKilled(server.url, round, ledger, rng, stop);
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      acked.then(() => "acknowledged"),
      writing.then(() => "the writers stopped without an acknowledged write"),
      new Promise<string>((r) => (timer = setTimeout(() => r("no write acknowledged within 60 s"), 60_000))),
    ]);
    clearTimeout(timer);
    assert.equal(first, "acknowledged", server.stderr());
    await new Promise((r) => setTimeout(r, rng.int(700)));
    server.child.kill("SIGKILL");
    const { signal } = await server.exited;
    stop.stopped = true;
    acknowledgedTotal += await writing;
    assert.equal(signal, "SIGKILL", server.stderr());
    kills++;
    const { documents, segments } = checkIndex(index, ledger);
    t.diagnostic(`round ${round}: ${documents} documents in ${segments} segment(s) after the kill (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  assert.equal(kills, ROUNDS);
  assert.ok(acknowledgedTotal >= ROUNDS, `writes were acknowledged in every round (${acknowledgedTotal})`);
});
