import { testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UnitOfWork } from "../domain/ports/unit-of-work.port.ts";
import { FulfillmentFixture } from "./fulfillment.test-fixture.ts";

const request = {
  orderId: "order-1",
  lines: [{ sku: "SKU-1", quantity: 1 }],
  address: { name: "Ada", line1: "1 Main St", city: "Oslo", postalCode: "0150", countryCode: "NO" },
};

/** A unit of work whose transaction fails after the use case has written everything it wanted. */
function failingAtCommit(unitOfWork: UnitOfWork): UnitOfWork {
  return {
    run: (work) =>
      unitOfWork.run(async (scope) => {
        await work(scope);
        throw new Error("commit failed");
      }),
  };
}

/** A unit of work whose outbox refuses the event after the status change was written. */
function failingOutbox(unitOfWork: UnitOfWork): UnitOfWork {
  return {
    run: (work) =>
      unitOfWork.run((scope) =>
        work({
          shipments: scope.shipments,
          events: {
            record: async () => {
              throw new Error("outbox unavailable");
            },
          },
        }),
      ),
  };
}

for (const kind of testDatabaseKinds()) {
  describe(`status change and outbox event share one transaction on ${kind}`, () => {
    let fixture: FulfillmentFixture;

    beforeAll(async () => {
      fixture = await FulfillmentFixture.open(kind);
    });
    afterAll(() => fixture?.close());
    beforeEach(() => fixture.reset());

    it("when advancing fails at commit, then the status and the outbox stay as they were", async () => {
      const created = await fixture.useCases().create(request);
      const failing = fixture.useCases(failingAtCommit);

      await expect(failing.advance({ id: created.id, toStatus: "PICKING" })).rejects.toThrow("commit failed");

      expect(await fixture.useCases().get({ id: created.id })).toEqual(created);
      expect((await fixture.outbox()).map((row) => row.payload.status)).toEqual(["PENDING"]);
    });

    it("when the event cannot be recorded, then the status change is not kept either", async () => {
      const created = await fixture.useCases().create(request);
      const failing = fixture.useCases(failingOutbox);

      await expect(failing.cancel({ id: created.id, reason: "x" })).rejects.toThrow("outbox unavailable");

      expect(await fixture.useCases().get({ id: created.id })).toEqual(created);
      expect(await fixture.outbox()).toHaveLength(1);
    });

    it("when each status change commits, then each leaves exactly one outbox row keyed by the shipment", async () => {
      const useCases = fixture.useCases();
      const { id } = await useCases.create(request);
      await useCases.advance({ id, toStatus: "PICKING" });
      await useCases.advance({ id, toStatus: "PICKING" });
      await useCases.cancel({ id, reason: "x" });
      await useCases.cancel({ id, reason: "y" });

      const outbox = await fixture.outbox();
      expect(outbox.map((row) => [row.topic, row.key, row.payload.status])).toEqual([
        ["shipment.status_changed", id, "PENDING"],
        ["shipment.status_changed", id, "PICKING"],
        ["shipment.status_changed", id, "CANCELLED"],
      ]);
      expect(outbox.every((row) => row.id === row.payload.event_id)).toBe(true);
    });
  });
}
