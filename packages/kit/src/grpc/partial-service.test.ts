import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService } from "@orderly/contracts/order";
import { describe, expect, it } from "vitest";
import { Code } from "../errors/index.ts";
import { partialService } from "./partial-service.ts";
import { client, startServer, testKit } from "./test-harness.ts";

describe("partialService", () => {
  it("when a method is given, then calls reach it; the others answer UNIMPLEMENTED naming themselves", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        partialService(InventoryService, { getItem: async (request) => ({ item: { sku: request.sku } }) }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    expect((await inventory.getItem({ sku: "W-1" })).item?.sku).toBe("W-1");
    await expect(inventory.reserve({ reservationId: "r-1" })).rejects.toMatchObject({
      code: Code.UNIMPLEMENTED,
      reason: "UNIMPLEMENTED",
      message: "orderly.inventory.v1.InventoryService/Reserve is not implemented",
    });
  });

  it("when a server-streaming method is not given, then the stream fails UNIMPLEMENTED before any message", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) => s.add(OrderService, partialService(OrderService, {})));
    const orders = client(kit, OrderService, target);

    const received: unknown[] = [];
    const watching = (async () => {
      for await (const message of orders.watchOrder({ id: "0190a1b2-0000-7000-8000-000000000000" })) {
        received.push(message);
      }
    })();

    await expect(watching).rejects.toMatchObject({ code: Code.UNIMPLEMENTED, reason: "UNIMPLEMENTED" });
    expect(received).toEqual([]);
  });
});
