import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import type { UnitOfWork } from "../domain/ports/unit-of-work.port.ts";
import { fulfillmentForSuite } from "./fulfillment.test-fixture.ts";

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
    const suite = fulfillmentForSuite(kind);

    it("when advancing fails at commit, then the status and the outbox stay as they were", async () => {
      const created = await suite.fixture.useCases().create(request);
      const failing = suite.fixture.useCases(failingAtCommit);

      await expect(failing.advance({ id: created.id, toStatus: "PICKING" })).rejects.toThrow("commit failed");

      expect(await suite.fixture.useCases().get({ id: created.id })).toEqual(created);
      expect((await suite.fixture.outbox()).map((row) => row.payload.status)).toEqual(["PENDING"]);
    });

    it("when the event cannot be recorded, then the status change is not kept either", async () => {
      const created = await suite.fixture.useCases().create(request);
      const failing = suite.fixture.useCases(failingOutbox);

      await expect(failing.cancel({ id: created.id, reason: "x" })).rejects.toThrow("outbox unavailable");

      expect(await suite.fixture.useCases().get({ id: created.id })).toEqual(created);
      expect(await suite.fixture.outbox()).toHaveLength(1);
    });

    it("when each status change commits, then each leaves exactly one outbox row keyed by the shipment", async () => {
      const useCases = suite.fixture.useCases();
      const { id } = await useCases.create(request);
      await useCases.advance({ id, toStatus: "PICKING" });
      await useCases.advance({ id, toStatus: "PICKING" });
      await useCases.cancel({ id, reason: "x" });
      await useCases.cancel({ id, reason: "y" });

      const outbox = await suite.fixture.outbox();
      expect(outbox.map((row) => [row.topic, row.key, row.payload.status])).toEqual([
        ["shipment.status_changed", id, "PENDING"],
        ["shipment.status_changed", id, "PICKING"],
        ["shipment.status_changed", id, "CANCELLED"],
      ]);
      expect(outbox.every((row) => row.id === row.payload.event_id)).toBe(true);
    });
  });
}
