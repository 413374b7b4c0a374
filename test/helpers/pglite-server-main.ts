/**
 * A PostgreSQL server for tests: PGlite (Postgres 18 in WebAssembly) with pgvector, served over the wire
 * protocol by @electric-sql/pglite-socket on 127.0.0.1:<port> (argv[2]), so that `pg` and `--url` are
 * tested for real. Prints "READY <port>" when listening; exits when its standard input closes (the test
 * process that started it died) or on SIGTERM. Started by pglite-server.ts.
 */
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const port = Number(process.argv[2]);
const db = await PGlite.create({ extensions: { vector } });
await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 8 });
await server.start();
const stop = async () => {
  await server.stop().catch(() => undefined);
  await db.close().catch(() => undefined);
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.stdout.write(`READY ${port}\n`);
