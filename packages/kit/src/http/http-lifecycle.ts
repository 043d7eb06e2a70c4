import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";

/** Listens and returns the bound port (the real one when `port` is 0). */
export async function listenHttp(app: FastifyInstance, host: string, port: number): Promise<number> {
  await app.listen({ host, port });
  const address = app.server.address();
  if (address === null || typeof address === "string") {
    throw new Error(`HTTP server bound to ${String(address)}, expected a TCP port`);
  }
  return (address as AddressInfo).port;
}

/**
 * Stops accepting connections, closes idle keep-alive sockets, lets in-flight requests finish, and
 * after `drainTimeoutMs` destroys whatever is still open so shutdown always completes. Requests
 * that still arrive on open connections meanwhile get 503 SHUTTING_DOWN with `Connection: close`.
 */
export async function closeHttp(app: FastifyInstance, drainTimeoutMs: number): Promise<void> {
  const timer = setTimeout(() => {
    app.log.warn({ drain_timeout_ms: drainTimeoutMs }, "HTTP drain timed out; closing open connections");
    app.server.closeAllConnections();
  }, drainTimeoutMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
