/**
 * A writer process for test/index/open-during-merge.test.ts: adds one small segment and merges the index
 * into one segment, over and over, for `ms` milliseconds (argv: dir, ms). Every merge deletes the files the
 * previous manifest listed.
 */
import { addDocuments, mergeIndex } from "../../../src/index/index-writer.js";
import { syntheticDocuments } from "./corpus.js";

const [dir, ms] = [process.argv[2], Number(process.argv[3])];
const end = Date.now() + ms;
let next = 1000;
let rounds = 0;
while (Date.now() < end) {
  await addDocuments(dir, syntheticDocuments(11, next, 20));
  next += 20;
  await mergeIndex(dir);
  rounds++;
}
process.stdout.write(`${rounds}\n`);
