import { createServer } from "node:net";

// Below Linux's ephemeral range (32768-60999): a port the OS picks from that range can be taken by
// any outgoing connection (a service's next PostgreSQL connection) in the seconds before the
// process it was promised to binds it, which failed a CI run with EADDRINUSE.
const LOWEST = 20_000;
const HIGHEST = 32_000;
const handedOut = new Set<number>();

/**
 * A TCP port free on 127.0.0.1 now, never handed out twice by this process: for a server whose
 * address must be known before it starts (a peer's address, a child process's port).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${HIGHEST} on 127.0.0.1`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
