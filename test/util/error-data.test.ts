/**
 * Errors across worker threads (util/errors.ts errorData / errorFromData): a SpladeError comes back with its
 * code and path; any other error (an fs error, whose code is an errno name such as ENOSPC, not a SpladeErrorCode)
 * comes back as RUNTIME naming the thread, so the CLI's exit code and the server's HTTP status stay defined.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { errorData, errorFromData, SpladeError } from "../../src/util/errors.js";

const roundTrip = (error: unknown, context: string) => errorFromData(structuredClone(errorData(error)), context);

test("a SpladeError keeps its code, message and path", () => {
  const back = roundTrip(new SpladeError("INVALID_FILE", "seg.bin: truncated", { path: "/x/seg.bin" }), "writer");
  assert.ok(back instanceof SpladeError);
  assert.deepEqual([back.code, back.message, back.path], ["INVALID_FILE", "seg.bin: truncated", "/x/seg.bin"]);
  assert.equal(roundTrip(new SpladeError("CANCELLED", "stopped"), "writer").path, undefined);
});

test("any other error becomes RUNTIME naming the thread; its errno code is not taken for a SpladeErrorCode", () => {
  const fsError = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", path: "/x/seg.bin.tmp" });
  const back = roundTrip(fsError, "segment build thread");
  assert.deepEqual([back.code, back.message], ["RUNTIME", "segment build thread: ENOSPC: no space left on device, write"]);
  assert.deepEqual([roundTrip("a string", "t").code, roundTrip("a string", "t").message], ["RUNTIME", "t: a string"]);
});
