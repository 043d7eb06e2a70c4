import { connect, createServer, type Socket } from "node:net";
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it, onTestFinished } from "vitest";
import { client, fakeInventory, startServer, testKit } from "./test-harness.ts";

/**
 * A TCP relay to `targetPort` whose open connections can be killed silently: their bytes vanish
 * both ways and nothing is closed or reset, as when a NAT forgets a flow. New connections work.
 */
async function silentKiller(targetPort: number): Promise<{ target: string; strandOpen(): void }> {
  const open: { stranded: boolean }[] = [];
  const server = createServer((downstream: Socket) => {
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    const state = { stranded: false };
    open.push(state);
    downstream.on("data", (chunk) => state.stranded || upstream.write(chunk));
    upstream.on("data", (chunk) => state.stranded || downstream.write(chunk));
    for (const [a, b] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      a.on("error", () => b.destroy());
      a.on("close", () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    target: `127.0.0.1:${port}`,
    strandOpen: () => {
      for (const s of open) s.stranded = true;
    },
  };
}

describe("client keepalive", () => {
  it("when keepalive is off and the connection dies silently, then every call on it times out (the defect)", async () => {
    const kit = testKit();
    const { port } = await startServer(kit, (s) =>
      s.add(InventoryService, fakeInventory({ getItem: async (r) => ({ item: { sku: r.sku } }) })),
    );
    const relay = await silentKiller(port);
    const inventory = client(kit, InventoryService, relay.target, {
      retry: false,
      defaultDeadlineMs: 200,
      channelOptions: { "grpc.keepalive_time_ms": 2 ** 31 - 1 },
    });
    expect((await inventory.getItem({ sku: "A" })).item?.sku).toBe("A");
    relay.strandOpen();
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        await inventory.getItem({ sku: "B" }).then(
          () => 0,
          (error: { code?: number }) => error.code,
        ),
      );
    expect(codes).toEqual([4, 4, 4, 4]);
  });

  it("when the connection to the peer dies silently, then the client notices and calls succeed again on a new connection", async () => {
    const kit = testKit();
    const { port } = await startServer(kit, (s) =>
      s.add(InventoryService, fakeInventory({ getItem: async (r) => ({ item: { sku: r.sku } }) })),
    );
    const relay = await silentKiller(port);
    // Production defaults are 10 s / 5 s; the same mechanism at a scale a test can wait for.
    const inventory = client(kit, InventoryService, relay.target, {
      retry: false,
      defaultDeadlineMs: 300,
      channelOptions: { "grpc.keepalive_time_ms": 100, "grpc.keepalive_timeout_ms": 100 },
    });
    expect((await inventory.getItem({ sku: "A" })).item?.sku).toBe("A");

    relay.strandOpen();
    const dead = await inventory.getItem({ sku: "B" }).catch((error: unknown) => error);
    // DEADLINE_EXCEEDED, or UNAVAILABLE when the unanswered ping closes the transport first.
    expect([4, 14]).toContain((dead as { code?: number }).code);
    let answer: string | undefined;
    while (answer === undefined) {
      answer = await inventory
        .getItem({ sku: "C" })
        .then((r) => r.item?.sku)
        .catch(() => undefined);
    }
    expect(answer).toBe("C");
  });
});
