import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";

/** A target that records what it received and lets the test answer on each connection. */
interface Target {
  port: number;
  received: string[];
  sockets: Socket[];
  server: Server;
}

async function startTarget(): Promise<Target> {
  const target: Target = { port: 0, received: [], sockets: [], server: createServer() };
  target.server.on("connection", (socket) => {
    target.sockets.push(socket);
    socket.on("error", () => {});
    socket.on("data", (chunk) => target.received.push(chunk.toString()));
  });
  await new Promise<void>((resolve) => target.server.listen(0, "127.0.0.1", resolve));
  const address = target.server.address();
  target.port = typeof address === "object" && address ? address.port : 0;
  return target;
}

function dial(port: number): Promise<{ socket: Socket; received: string[]; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const received: string[] = [];
    socket.on("data", (chunk) => received.push(chunk.toString()));
    const closed = new Promise<string>((done) => {
      socket.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? "error"));
      socket.on("close", () => done("closed"));
    });
    socket.once("connect", () => resolve({ socket, received, closed }));
    socket.once("error", reject);
  });
}

/** Waits until `condition` holds, checking on every turn of the event loop (no clock involved). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("fault proxy", () => {
  let target: Target;
  let proxy: FaultProxy;

  beforeEach(async () => {
    target = await startTarget();
    proxy = await startFaultProxy({ name: "test", targetPort: target.port });
  });
  afterEach(async () => {
    await proxy.close();
    for (const s of target.sockets) s.destroy();
    await new Promise((resolve) => target.server.close(resolve));
  });

  it("when no fault is set, then bytes flow both ways unchanged", async () => {
    const client = await dial(proxy.port);
    client.socket.write("ping");
    await until(() => target.received.join("") === "ping");
    target.sockets[0]?.write("pong");
    await until(() => client.received.join("") === "pong");
    expect(proxy.openConnections).toBe(1);
    client.socket.destroy();
  });

  it("when connections are reset, then the client sees ECONNRESET and can connect again", async () => {
    const client = await dial(proxy.port);
    client.socket.write("x");
    await until(() => target.received.length === 1);
    expect(proxy.resetAll()).toBe(1);
    expect(await client.closed).toBe("ECONNRESET");
    const again = await dial(proxy.port);
    again.socket.write("y");
    await until(() => target.received.join("") === "xy");
    again.socket.destroy();
  });

  it("when blackholed, then nothing is forwarded until healed, and then it arrives", async () => {
    const client = await dial(proxy.port);
    client.socket.write("a");
    await until(() => target.received.length === 1);
    proxy.blackhole();
    client.socket.write("b");
    // A connection opened during the blackhole is accepted but carries nothing either.
    const late = await dial(proxy.port);
    late.socket.write("c");
    target.sockets[0]?.write("from-target");
    // A round trip through a second, unaffected path proves time has passed for the bytes to arrive.
    const control = await startTarget();
    const direct = await dial(control.port);
    direct.socket.write("control");
    await until(() => control.received.length === 1);
    expect(target.received.join("")).toBe("a");
    expect(client.received).toEqual([]);
    proxy.heal();
    await until(() => target.received.join("").includes("b") && target.received.join("").includes("c"));
    await until(() => client.received.join("") === "from-target");
    for (const s of [client, late, direct]) s.socket.destroy();
    for (const s of control.sockets) s.destroy();
    await new Promise((resolve) => control.server.close(resolve));
  });

  it("when partitioned one way, then that way drops while the other flows, and heal resets the broken stream", async () => {
    const client = await dial(proxy.port);
    client.socket.write("hello");
    await until(() => target.received.length === 1);
    proxy.partition("upstream");
    client.socket.write("lost");
    target.sockets[0]?.write("still-flows");
    await until(() => client.received.join("") === "still-flows");
    expect(target.received.join("")).toBe("hello");
    proxy.heal();
    expect(await client.closed).toBe("ECONNRESET");
    expect(proxy.stats.droppedBytes).toBe(4);
    expect(proxy.stats.reset).toBe(1);
  });

  it("when open connections are stranded, then they carry nothing even after heal, and a new connection works", async () => {
    const client = await dial(proxy.port);
    client.socket.write("before");
    await until(() => target.received.length === 1);
    expect(proxy.strandOpen()).toBe(1);
    proxy.heal();
    client.socket.write("lost");
    target.sockets[0]?.write("lost-too");
    const fresh = await dial(proxy.port);
    fresh.socket.write("fresh");
    await until(() => target.received.join("").includes("fresh"));
    target.sockets[1]?.write("answer");
    await until(() => fresh.received.join("") === "answer");
    expect(target.received.join("")).toBe("beforefresh");
    expect(client.received).toEqual([]);
    expect(client.socket.destroyed).toBe(false);
    client.socket.destroy();
    fresh.socket.destroy();
  });

  it("when latency is set on one direction, then bytes still arrive in order", async () => {
    proxy.setDelay({ latencyMs: 20, jitterMs: 20 }, "downstream");
    const client = await dial(proxy.port);
    client.socket.write("go");
    await until(() => target.received.length === 1);
    for (const part of ["1", "2", "3", "4", "5"]) target.sockets[0]?.write(part);
    await until(() => client.received.join("") === "12345");
    expect(target.received.join("")).toBe("go");
    client.socket.destroy();
  });

  it("when the client closes its side, then the target sees the end after the queued bytes", async () => {
    const client = await dial(proxy.port);
    let ended = false;
    await until(() => target.sockets.length === 1);
    target.sockets[0]?.on("end", () => {
      ended = true;
    });
    client.socket.end("last");
    await until(() => ended);
    expect(target.received.join("")).toBe("last");
  });
});
