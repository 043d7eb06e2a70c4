import { Health, HealthCheckResponse_ServingStatus as Status } from "@orderly/contracts/grpc-health";
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it } from "vitest";
import { Code } from "../errors/index.ts";
import { client, fakeInventory, startServer, testKit } from "./test-harness.ts";

async function servingInventory() {
  const kit = testKit();
  const started = await startServer(kit, (s) => s.add(InventoryService, fakeInventory({})));
  const health = client(kit, Health, started.target);
  return { kit, health, ...started };
}

describe("grpc.health.v1 served by GrpcServer", () => {
  it("when the process is serving, then Check answers SERVING for the server and each added service", async () => {
    const { health } = await servingInventory();

    expect((await health.check({ service: "" })).status).toBe(Status.SERVING);
    expect((await health.check({ service: InventoryService.typeName })).status).toBe(Status.SERVING);
  });

  it("when Check asks for a service the server does not serve, then it fails NOT_FOUND", async () => {
    const { health } = await servingInventory();

    await expect(health.check({ service: "orderly.nope.v1.Nope" })).rejects.toMatchObject({
      code: Code.NOT_FOUND,
    });
  });

  it("when the lifecycle moves to DRAINING, then Check answers NOT_SERVING", async () => {
    const { kit, health } = await servingInventory();

    kit.lifecycle.moveTo("DRAINING");

    expect((await health.check({ service: "" })).status).toBe(Status.NOT_SERVING);
    expect((await health.check({ service: InventoryService.typeName })).status).toBe(Status.NOT_SERVING);
  });

  it("when a watcher is open and the lifecycle moves to DRAINING, then Watch sees SERVING then NOT_SERVING", async () => {
    const { kit, health } = await servingInventory();
    const updates = health.watch({ service: "" })[Symbol.asyncIterator]();

    const first = await updates.next();
    kit.lifecycle.moveTo("DRAINING");
    const second = await updates.next();
    await updates.return?.();

    expect(first.value?.status).toBe(Status.SERVING);
    expect(second.value?.status).toBe(Status.NOT_SERVING);
  });

  it("when Watch asks for an unknown service, then it streams SERVICE_UNKNOWN", async () => {
    const { health } = await servingInventory();
    const updates = health.watch({ service: "orderly.nope.v1.Nope" })[Symbol.asyncIterator]();

    const first = await updates.next();
    await updates.return?.();

    expect(first.value?.status).toBe(Status.SERVICE_UNKNOWN);
  });

  it("when the server drains, then open Watch streams end", async () => {
    const { server, health } = await servingInventory();
    const updates = health.watch({ service: "" })[Symbol.asyncIterator]();
    await updates.next();

    const drained = server.drain(10_000);
    const ended = await updates.next().catch((e: unknown) => e);
    await drained;

    expect(ended).toMatchObject({ code: Code.UNAVAILABLE, reason: "SERVER_DRAINING" });
    expect(server.inFlight).toBe(0);
  });
});
