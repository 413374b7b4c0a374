/**
 * One OpenSearch node for a whole test run: scripts/run-tests.mjs starts this when any selected test file
 * starts a node, and passes its URL to every test file as SPLADE_TEST_OPENSEARCH_URL, so that the JVM starts
 * (10–20 s on 2 busy cores, 512 MB heap) once rather than once per file. Each file uses its own index names.
 * Prints "READY <url>" when the cluster is usable; stops the node and exits when its standard input closes
 * (the runner ended or died) or on SIGTERM.
 */
import { startOpenSearchNode } from "./opensearch-node.js";

delete process.env.SPLADE_TEST_OPENSEARCH_URL; // start a node of our own, never reuse one
const node = await startOpenSearchNode();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await node.stop();
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.stdout.write(`READY ${node.url}\n`);
