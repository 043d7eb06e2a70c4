import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type TestServer, testServer } from "./http.test-support.ts";
import { closeHttp, listenHttp } from "./http-lifecycle.ts";

/** A /v1 route that holds its request until the test releases it. */
function withSlowRoute(server: TestServer) {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const inHandler = new Promise<void>((resolve) => {
    entered = resolve;
  });
  server.app.get("/v1/slow", { config: { access: "public" }, schema: { hide: true } }, async () => {
    entered();
    await gate;
    return { done: true };
  });
  return { release, inHandler };
}

/** A raw HTTP/1.1 connection, so the test controls exactly what is sent on which socket. */
function rawConnection(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk;
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("error", () => undefined);
  return {
    get: (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`),
    write: (text: string) => new Promise<void>((resolve) => socket.write(text, () => resolve())),
    closed,
    received: () => received,
  };
}

function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

async function untilNotListening(server: TestServer): Promise<void> {
  while (server.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
}

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

describe("listenHttp", () => {
  it("when asked for port 0, then it returns the bound port, which serves requests", async () => {
    server = testServer();

    const port = await listenHttp(server.app, "127.0.0.1", 0);

    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "pass" });
  });
});

describe("closeHttp", () => {
  it("when close starts during a slow request, then that request completes with 200 and new connections are refused", async () => {
    server = testServer();
    const slow = withSlowRoute(server);
    const port = await listenHttp(server.app, "127.0.0.1", 0);
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/slow`);
    await slow.inHandler;

    const closing = closeHttp(server.app, 10_000);
    await untilNotListening(server);
    expect(await connectOutcome(port)).toBe("ECONNREFUSED");
    slow.release();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(server.logs.some((l) => l.msg?.includes("drain timed out"))).toBe(false);
  });

  it("when a request arrives on an open connection during drain, then 503 SHUTTING_DOWN, and the in-flight one ends with Connection: close", async () => {
    server = testServer();
    const slow = withSlowRoute(server);
    const port = await listenHttp(server.app, "127.0.0.1", 0);
    const accepted = new Promise((resolve) => server.app.server.once("connection", resolve));
    // B starts a request before close (so its socket is not idle) and finishes it during drain.
    const late = rawConnection(port);
    await accepted;
    await late.write("GET /v1/items/SKU-1 HTTP/1.1\r\nHost: test\r\n");
    const early = rawConnection(port);
    early.get("/v1/slow");
    await slow.inHandler;

    const closing = closeHttp(server.app, 10_000);
    await untilNotListening(server);
    await late.write("\r\n");
    await late.closed;
    slow.release();
    await early.closed;
    await closing;

    expect(late.received()).toMatch(/^HTTP\/1\.1 503/);
    expect(late.received()).toMatch(/\r\nconnection: close\r\n/i);
    expect(late.received()).toContain('"reason":"SHUTTING_DOWN"');
    expect(early.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(early.received()).toMatch(/\r\nconnection: close\r\n/i);
    // Closing the finished keep-alive connection is what let close() finish without forcing.
    expect(server.logs.some((l) => l.msg?.includes("drain timed out"))).toBe(false);
  });

  it("when a request outlives the drain timeout, then close still completes and that connection is cut", async () => {
    server = testServer();
    const slow = withSlowRoute(server);
    const port = await listenHttp(server.app, "127.0.0.1", 0);
    const connection = rawConnection(port);
    connection.get("/v1/slow");
    await slow.inHandler;

    await closeHttp(server.app, 50);
    await connection.closed;

    expect(connection.received()).toBe("");
    expect(server.logs.some((l) => l.level === "warn" && l.msg?.includes("drain timed out"))).toBe(true);
    slow.release();
  });
});
