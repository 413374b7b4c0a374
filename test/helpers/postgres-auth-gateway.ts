/**
 * A PostgreSQL password gate in front of a server that has no authentication (pglite-socket): it speaks the
 * start of the wire protocol itself (startup message → AuthenticationCleartextPassword → PasswordMessage),
 * answers a wrong password with the FATAL 28P01 ErrorResponse a real server sends, and on the right one
 * replays the startup message upstream and pipes the connection through. Lets the tests meet a real
 * authentication failure through `pg` without a full PostgreSQL server.
 *
 *   const gate = await startPostgresAuthGateway(upstreamPort, "secret");   // gate.port
 *   await gate.close();
 */
import { createConnection, createServer, type Socket } from "node:net";

export interface PostgresAuthGateway {
  readonly port: number;
  close(): Promise<void>;
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([`SFATAL`, `VFATAL`, `C${code}`, `M${message}`].map((f) => Buffer.from(`${f}\0`)).concat(Buffer.from([0])));
  const head = Buffer.alloc(5);
  head.write("E", 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

export async function startPostgresAuthGateway(upstreamPort: number, password: string): Promise<PostgresAuthGateway> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    let buffered = Buffer.alloc(0);
    let startup: Buffer | undefined;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!startup) {
        if (buffered.length < 4 || buffered.length < buffered.readInt32BE(0)) return;
        startup = buffered.subarray(0, buffered.readInt32BE(0));
        buffered = buffered.subarray(startup.length);
        client.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // 'R', length 8, cleartext password
        return;
      }
      if (buffered.length < 5 || buffered.length < 1 + buffered.readInt32BE(1)) return;
      const given = buffered.subarray(5, 1 + buffered.readInt32BE(1) - 1).toString("utf8");
      client.off("data", onData);
      if (given !== password) {
        const user = /user\0([^\0]*)\0/.exec(startup.subarray(8).toString("utf8"))?.[1] ?? "";
        client.end(errorResponse("28P01", `password authentication failed for user "${user}"`));
        return;
      }
      const upstream = createConnection({ host: "127.0.0.1", port: upstreamPort }, () => {
        upstream.write(startup!);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on("close", () => (sockets.delete(upstream), client.destroy()));
      upstream.on("error", () => client.destroy());
    };
    client.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
