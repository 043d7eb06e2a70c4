import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { makeCreateShipment } from "../domain/use-cases/create-shipment.use-case.ts";
import type { CreateShipmentInput } from "../domain/validation/create-shipment.validation.ts";
import { fulfillmentForSuite } from "./fulfillment.test-fixture.ts";
import { KyselyShipmentRepository } from "./kysely-shipment.repository.ts";
import { Uuidv7IdGenerator } from "./uuidv7-id.generator.ts";

const request: CreateShipmentInput = {
  orderId: "order-1",
  lines: [
    { sku: "SKU-1", quantity: 2 },
    { sku: "SKU-2", quantity: 1 },
  ],
  address: { name: "Ada", line1: "1 Main St", city: "Berlin", postalCode: "10115", countryCode: "DE" },
};

for (const kind of testDatabaseKinds()) {
  describe(`CreateShipment and GetShipment on ${kind}`, () => {
    const suite = fulfillmentForSuite(kind);

    it("when a shipment is created, then it is PENDING and readable with everything asked for", async () => {
      const created = await suite.useCases.create(request);

      expect(created).toMatchObject({
        orderId: "order-1",
        status: "PENDING",
        lines: request.lines,
        address: { ...request.address, line2: "" },
        carrier: null,
        trackingNumber: null,
        cancelReason: null,
        createdAt: suite.fixture.clock.now(),
        updatedAt: suite.fixture.clock.now(),
      });
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(await suite.useCases.get({ id: created.id })).toEqual(created);
    });

    it("when a shipment is created, then one PENDING event for the order service is in the outbox", async () => {
      const created = await suite.useCases.create(request);

      const outbox = await suite.fixture.outbox();
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toEqual({
        id: outbox[0]?.payload.event_id,
        topic: "shipment.status_changed",
        key: created.id,
        payload: {
          event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          shipment_id: created.id,
          order_id: "order-1",
          status: "PENDING",
          carrier: "",
          tracking_number: "",
          occurred_at: "2026-11-01T10:00:00.000Z",
        },
      });
    });

    it("when the same request is repeated, then the original shipment comes back and nothing new is published", async () => {
      const first = await suite.useCases.create(request);
      suite.fixture.clock.advance(60_000);

      const again = await suite.useCases.create(request);
      const reordered = await suite.useCases.create({ ...request, lines: [...request.lines].reverse() });

      expect(again).toEqual(first);
      expect(reordered).toEqual(first);
      expect(await suite.fixture.shipmentCount()).toBe(1);
      expect(await suite.fixture.outbox()).toHaveLength(1);
    });

    it("when the order already ships with other content, then ORDER_ALREADY_SHIPPING and nothing changes", async () => {
      const first = await suite.useCases.create(request);

      const otherLines = suite.useCases.create({ ...request, lines: [{ sku: "SKU-1", quantity: 3 }] });
      const otherAddress = suite.useCases.create({
        ...request,
        address: { name: "Ada", line1: "1 Main St", city: "Berlin", postalCode: "10115", countryCode: "AT" },
      });

      for (const attempt of [otherLines, otherAddress]) {
        await expect(attempt).rejects.toMatchObject({
          code: Code.FAILED_PRECONDITION,
          reason: "ORDER_ALREADY_SHIPPING",
          details: { order_id: "order-1", shipment_id: first.id },
        });
      }
      expect(await suite.useCases.get({ id: first.id })).toEqual(first);
      expect(await suite.fixture.outbox()).toHaveLength(1);
    });

    it("when a shipment is created or repeated, then each takes one statement and no transaction", async () => {
      const { counted, statements } = suite.fixture.countingDatabase();
      const counting = suite.fixture.useCases(undefined, counted);

      await counting.create(request);
      const forCreate = statements();
      await counting.create(request);

      expect(forCreate).toBe(1);
      expect(statements() - forCreate).toBe(1);
      expect(await suite.fixture.shipmentCount()).toBe(1);
      expect(await suite.fixture.outbox()).toHaveLength(1);
    });

    it("when the creation event cannot be stored, then the shipment is not stored either", async () => {
      // The second id is the event's: not a uuid, so kit_outbox refuses it within the same statement.
      const uuids = new Uuidv7IdGenerator();
      let calls = 0;
      const create = makeCreateShipment({
        shipments: new KyselyShipmentRepository(suite.fixture.database.db),
        clock: suite.fixture.clock,
        ids: { newId: () => (++calls === 2 ? "not-a-uuid" : uuids.newId()) },
      });

      await expect(create(request)).rejects.toThrow();

      expect(await suite.fixture.shipmentCount()).toBe(0);
      expect(await suite.fixture.outbox()).toHaveLength(0);
    });

    it("when the request is invalid, then INVALID_ARGUMENT names the field and nothing is stored", async () => {
      const attempt = suite.useCases.create({ ...request, lines: [{ sku: "SKU-1", quantity: 0 }] });

      await expect(attempt).rejects.toMatchObject({
        code: Code.INVALID_ARGUMENT,
        details: { field: "lines[0].quantity" },
      });
      expect(await suite.fixture.shipmentCount()).toBe(0);
      expect(await suite.fixture.outbox()).toHaveLength(0);
    });

    it("when many creates for one order race, then one shipment exists and all of them return it", async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => suite.useCases.create(request)));

      const ids = new Set(results.map((shipment) => shipment.id));
      expect(ids.size).toBe(1);
      expect(await suite.fixture.shipmentCount()).toBe(1);
      expect(await suite.fixture.outbox()).toHaveLength(1);
    });

    it("when a shipment id is unknown, then GetShipment is NOT_FOUND SHIPMENT_NOT_FOUND", async () => {
      const id = "0190f3a2-0000-7000-8000-000000000099";

      await expect(suite.useCases.get({ id })).rejects.toMatchObject({
        code: Code.NOT_FOUND,
        reason: "SHIPMENT_NOT_FOUND",
      });
    });

    it.each(["", "not-a-uuid", "0190f3a2-0000-7000-8000-00000000009"])(
      "when the shipment id is %j, then GetShipment is INVALID_ARGUMENT naming id",
      async (id) => {
        await expect(suite.useCases.get({ id })).rejects.toMatchObject({
          code: Code.INVALID_ARGUMENT,
          details: { field: "id" },
        });
      },
    );

    it("when the id is given in upper case, then the shipment is still found", async () => {
      const created = await suite.useCases.create(request);

      expect(await suite.useCases.get({ id: created.id.toUpperCase() })).toEqual(created);
    });
  });
}
