import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import type { Shipment } from "../domain/shipment.entity.ts";
import type { ShipmentStatus } from "../domain/shipment-status.ts";
import { fulfillmentForSuite } from "./fulfillment.test-fixture.ts";

const UNKNOWN_ID = "0190f3a2-0000-7000-8000-000000000099";

for (const kind of testDatabaseKinds()) {
  describe(`AdvanceShipment and CancelShipment on ${kind}`, () => {
    const suite = fulfillmentForSuite(kind);

    function create(countryCode = "US", orderId = "order-1"): Promise<Shipment> {
      return suite.useCases.create({
        orderId,
        lines: [{ sku: "SKU-1", quantity: 1 }],
        address: { name: "Ada", line1: "1 Main St", city: "Springfield", postalCode: "12345", countryCode },
      });
    }

    async function advanceThrough(id: string, ...statuses: ShipmentStatus[]): Promise<Shipment> {
      let shipment: Shipment | undefined;
      for (const toStatus of statuses) {
        suite.fixture.clock.advance(1_000);
        shipment = await suite.useCases.advance({ id, toStatus });
      }
      if (shipment === undefined) throw new Error("no status given");
      return shipment;
    }

    it("when a shipment goes all the way to DELIVERED, then every step publishes one event in order", async () => {
      const { id } = await create("US");

      const delivered = await advanceThrough(id, "PICKING", "PACKED", "SHIPPED", "DELIVERED");

      expect(delivered.status).toBe("DELIVERED");
      expect(delivered.carrier).toBe("UPS");
      expect(delivered.trackingNumber).toMatch(/^1Z[0-9A-Z]{16}$/);
      expect(await suite.useCases.get({ id })).toEqual(delivered);

      const events = (await suite.fixture.outbox()).map((row) => row.payload);
      expect(events.map((event) => event.status)).toEqual([
        "PENDING",
        "PICKING",
        "PACKED",
        "SHIPPED",
        "DELIVERED",
      ]);
      expect(new Set(events.map((event) => event.event_id)).size).toBe(5);
      expect(events.every((event) => event.shipment_id === id && event.order_id === "order-1")).toBe(true);
      expect(events.map((event) => event.occurred_at)).toEqual([
        "2026-11-01T10:00:00.000Z",
        "2026-11-01T10:00:01.000Z",
        "2026-11-01T10:00:02.000Z",
        "2026-11-01T10:00:03.000Z",
        "2026-11-01T10:00:04.000Z",
      ]);
      const [, , , shipped, deliveredEvent] = events;
      expect(shipped).toMatchObject({ carrier: "UPS", tracking_number: delivered.trackingNumber });
      expect(deliveredEvent).toMatchObject({ carrier: "UPS", tracking_number: delivered.trackingNumber });
      expect(events[2]).toMatchObject({ carrier: "", tracking_number: "" });
    });

    it.each([
      ["DE", "DHL", /^\d{10}$/],
      ["JP", "FEDEX", /^\d{12}$/],
    ])("when a shipment to %s ships, then it goes with %s", async (country, carrier, tracking) => {
      const { id } = await create(country);

      const shipped = await advanceThrough(id, "PICKING", "PACKED", "SHIPPED");

      expect(shipped.carrier).toBe(carrier);
      expect(shipped.trackingNumber).toMatch(tracking);
    });

    it("when a shipment is advanced to the status it has, then it comes back unchanged and nothing is published", async () => {
      const { id } = await create();
      const shipped = await advanceThrough(id, "PICKING", "PACKED", "SHIPPED");
      suite.fixture.clock.advance(1_000);

      const again = await suite.useCases.advance({ id, toStatus: "SHIPPED" });

      expect(again).toEqual(shipped);
      expect(await suite.useCases.get({ id })).toEqual(shipped);
      expect(await suite.fixture.outbox()).toHaveLength(4);
    });

    it("when a step is skipped, then ILLEGAL_TRANSITION names from and to, and nothing changes", async () => {
      const created = await create();

      await expect(suite.useCases.advance({ id: created.id, toStatus: "SHIPPED" })).rejects.toMatchObject({
        code: Code.FAILED_PRECONDITION,
        reason: "ILLEGAL_TRANSITION",
        details: { from: "PENDING", to: "SHIPPED" },
      });
      expect(await suite.useCases.get({ id: created.id })).toEqual(created);
      expect(await suite.fixture.outbox()).toHaveLength(1);
    });

    it("when a shipment is moved backwards, then ILLEGAL_TRANSITION", async () => {
      const { id } = await create();
      await advanceThrough(id, "PICKING", "PACKED");

      await expect(suite.useCases.advance({ id, toStatus: "PICKING" })).rejects.toMatchObject({
        reason: "ILLEGAL_TRANSITION",
        details: { from: "PACKED", to: "PICKING" },
      });
    });

    it.each([
      ["", "to_status"],
      ["UNSPECIFIED", "to_status"],
      ["LOST", "to_status"],
      ["CANCELLED", "to_status"],
    ])("when AdvanceShipment asks for %j, then INVALID_ARGUMENT names %s", async (toStatus, field) => {
      const created = await create();

      await expect(suite.useCases.advance({ id: created.id, toStatus })).rejects.toMatchObject({
        code: Code.INVALID_ARGUMENT,
        details: { field },
      });
      expect(await suite.useCases.get({ id: created.id })).toEqual(created);
    });

    it("when an unknown shipment is advanced or cancelled, then SHIPMENT_NOT_FOUND", async () => {
      const notFound = { code: Code.NOT_FOUND, reason: "SHIPMENT_NOT_FOUND" };

      await expect(suite.useCases.advance({ id: UNKNOWN_ID, toStatus: "PICKING" })).rejects.toMatchObject(
        notFound,
      );
      await expect(suite.useCases.cancel({ id: UNKNOWN_ID, reason: "x" })).rejects.toMatchObject(notFound);
      await expect(suite.useCases.cancel({ id: "nope" })).rejects.toMatchObject({
        details: { field: "id" },
      });
    });

    it("when a packed shipment is cancelled, then it is CANCELLED with the reason and one event says so", async () => {
      const { id } = await create();
      await advanceThrough(id, "PICKING", "PACKED");
      suite.fixture.clock.advance(1_000);

      const cancelled = await suite.useCases.cancel({ id, reason: "customer changed their mind" });

      expect(cancelled).toMatchObject({ status: "CANCELLED", cancelReason: "customer changed their mind" });
      expect(cancelled.updatedAt).toEqual(suite.fixture.clock.now());
      expect(await suite.useCases.get({ id })).toEqual(cancelled);
      const events = (await suite.fixture.outbox()).map((row) => row.payload);
      expect(events.map((event) => event.status)).toEqual(["PENDING", "PICKING", "PACKED", "CANCELLED"]);
    });

    it("when a cancelled shipment is cancelled again, then it comes back unchanged and nothing is published", async () => {
      const { id } = await create();
      const cancelled = await suite.useCases.cancel({ id, reason: "first" });
      suite.fixture.clock.advance(1_000);

      const again = await suite.useCases.cancel({ id, reason: "second" });

      expect(again).toEqual(cancelled);
      expect(await suite.fixture.outbox()).toHaveLength(2);
    });

    it("when a cancelled shipment is advanced, then ILLEGAL_TRANSITION", async () => {
      const { id } = await create();
      await suite.useCases.cancel({ id });

      await expect(suite.useCases.advance({ id, toStatus: "PICKING" })).rejects.toMatchObject({
        reason: "ILLEGAL_TRANSITION",
        details: { from: "CANCELLED", to: "PICKING" },
      });
    });

    it.each([
      ["SHIPPED", ["PICKING", "PACKED", "SHIPPED"]],
      ["DELIVERED", ["PICKING", "PACKED", "SHIPPED", "DELIVERED"]],
    ] as const)(
      "when a %s shipment is cancelled, by id or by order, then ALREADY_SHIPPED and it stays as it was",
      async (from, path) => {
        const { id } = await create();
        const before = await advanceThrough(id, ...path);
        const alreadyShipped = {
          code: Code.FAILED_PRECONDITION,
          reason: "ALREADY_SHIPPED",
          details: { shipment_id: id, order_id: "order-1", status: from },
        };

        await expect(suite.useCases.cancel({ id, reason: "too late" })).rejects.toMatchObject(alreadyShipped);
        await expect(suite.useCases.cancel({ orderId: "order-1", reason: "too late" })).rejects.toMatchObject(
          alreadyShipped,
        );
        expect(await suite.useCases.get({ id })).toEqual(before);
        expect(await suite.fixture.outbox()).toHaveLength(path.length + 1);
      },
    );

    it("when an order's shipment is cancelled by order id twice, then it is CANCELLED once with the first reason", async () => {
      const created = await create("US", "order-7");
      await create("US", "order-8");
      suite.fixture.clock.advance(1_000);

      const cancelled = await suite.useCases.cancel({ orderId: "order-7", reason: "payment failed" });
      suite.fixture.clock.advance(1_000);
      const again = await suite.useCases.cancel({ orderId: "order-7", reason: "retried compensation" });

      expect(cancelled).toMatchObject({
        id: created.id,
        status: "CANCELLED",
        cancelReason: "payment failed",
      });
      expect(again).toEqual(cancelled);
      const events = (await suite.fixture.outbox()).map((row) => [row.payload.order_id, row.payload.status]);
      expect(events).toEqual([
        ["order-7", "PENDING"],
        ["order-8", "PENDING"],
        ["order-7", "CANCELLED"],
      ]);
    });

    it("when an order without a shipment is cancelled by order id, then NOT_FOUND SHIPMENT_NOT_FOUND names the order", async () => {
      await expect(suite.useCases.cancel({ orderId: "order-none" })).rejects.toMatchObject({
        code: Code.NOT_FOUND,
        reason: "SHIPMENT_NOT_FOUND",
        details: { order_id: "order-none" },
      });
      expect(await suite.fixture.outbox()).toHaveLength(0);
    });

    it.each([
      ["neither id nor order id", {}, "id"],
      ["both id and order id", { id: UNKNOWN_ID, orderId: "order-1" }, "order_id"],
      ["an order id with a NUL byte", { orderId: "order\u0000" }, "order_id"],
    ])("when a cancel names %s, then INVALID_ARGUMENT names %s", async (_, input, field) => {
      await expect(suite.useCases.cancel(input)).rejects.toMatchObject({
        code: Code.INVALID_ARGUMENT,
        details: { field },
      });
    });

    it("when a cancel reason is longer than 500 characters, then INVALID_ARGUMENT names reason", async () => {
      const created = await create();

      await expect(suite.useCases.cancel({ id: created.id, reason: "x".repeat(501) })).rejects.toMatchObject({
        code: Code.INVALID_ARGUMENT,
        details: { field: "reason" },
      });
      expect(await suite.useCases.get({ id: created.id })).toEqual(created);
    });

    it("when two advances of one shipment race, then the step is applied and published once", async () => {
      const { id } = await create();

      const results = await Promise.all([
        suite.useCases.advance({ id, toStatus: "PICKING" }),
        suite.useCases.advance({ id, toStatus: "PICKING" }),
        suite.useCases.advance({ id, toStatus: "PICKING" }),
      ]);

      expect(results.map((shipment) => shipment.status)).toEqual(["PICKING", "PICKING", "PICKING"]);
      const events = (await suite.fixture.outbox()).map((row) => row.payload.status);
      expect(events).toEqual(["PENDING", "PICKING"]);
    });

    it("when a cancel races a ship, then exactly one of them wins and the outbox agrees", async () => {
      const { id } = await create();
      await advanceThrough(id, "PICKING", "PACKED");

      const [cancel, ship] = await Promise.allSettled([
        suite.useCases.cancel({ id, reason: "race" }),
        suite.useCases.advance({ id, toStatus: "SHIPPED" }),
      ]);

      const winners = [cancel, ship].filter((result) => result.status === "fulfilled");
      expect(winners).toHaveLength(1);
      const final = await suite.useCases.get({ id });
      const lastEvent = (await suite.fixture.outbox()).at(-1)?.payload;
      expect(lastEvent?.status).toBe(final.status);
      expect(await suite.fixture.outbox()).toHaveLength(4);
    });
  });
}
