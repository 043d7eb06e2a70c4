import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { DB_SUITE, inventoryForSuite, seedItem, TEST_RESERVATION_TTL_MS } from "./testing/test-inventory.ts";

/** Settles every call and counts what happened, by outcome (status or error reason). */
async function outcomes(calls: Promise<unknown>[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const result of await Promise.allSettled(calls)) {
    const key =
      result.status === "fulfilled"
        ? "ok"
        : ((result.reason as { reason?: string }).reason ?? String(result.reason));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

for (const kind of testDatabaseKinds()) {
  describe(`concurrency on ${kind}`, DB_SUITE, () => {
    const inventory = inventoryForSuite(kind, "concurrency");

    it("when 200 single-unit reservations race for 50 in stock, then exactly 50 succeed and none is oversold", async () => {
      await seedItem(inventory.useCases, "HOT", 50);

      const counts = await outcomes(
        Array.from({ length: 200 }, (_, i) =>
          inventory.useCases.reserve({ reservationId: `race-${i}`, lines: [{ sku: "HOT", quantity: 1 }] }),
        ),
      );

      expect(counts).toEqual({ ok: 50, INSUFFICIENT_STOCK: 150 });
      expect(await inventory.useCases.getItem({ sku: "HOT" })).toMatchObject({
        onHand: 50,
        reserved: 50,
        available: 0,
      });
    });

    it("when the same Reserve is sent 20 times at once, then stock is held once and every call gets the same reservation", async () => {
      await seedItem(inventory.useCases, "HOT", 50);
      const request = { reservationId: "order-9:reserve", lines: [{ sku: "HOT", quantity: 3 }] };

      const results = await Promise.all(
        Array.from({ length: 20 }, () => inventory.useCases.reserve(request)),
      );

      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
      expect((await inventory.useCases.getItem({ sku: "HOT" })).reserved).toBe(3);
    });

    it("when the same Reserve for the last units is sent 10 times at once, then every call gets the one reservation", async () => {
      await seedItem(inventory.useCases, "HOT", 3);
      const request = { reservationId: "order-10:reserve", lines: [{ sku: "HOT", quantity: 3 }] };

      const results = await Promise.all(
        Array.from({ length: 10 }, () => inventory.useCases.reserve(request)),
      );

      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
      expect(await inventory.useCases.getItem({ sku: "HOT" })).toMatchObject({ reserved: 3, available: 0 });
    });

    it("when multi-line reservations list the same SKUs in opposite orders at once, then all complete and the totals add up", async () => {
      await seedItem(inventory.useCases, "LEFT", 1000);
      await seedItem(inventory.useCases, "RIGHT", 1000);

      const counts = await outcomes(
        Array.from({ length: 100 }, (_, i) =>
          inventory.useCases.reserve({
            reservationId: `pair-${i}`,
            lines:
              i % 2 === 0
                ? [
                    { sku: "LEFT", quantity: 2 },
                    { sku: "RIGHT", quantity: 1 },
                  ]
                : [
                    { sku: "RIGHT", quantity: 1 },
                    { sku: "LEFT", quantity: 2 },
                  ],
          }),
        ),
      );

      expect(counts).toEqual({ ok: 100 });
      expect((await inventory.useCases.getItem({ sku: "LEFT" })).reserved).toBe(200);
      expect((await inventory.useCases.getItem({ sku: "RIGHT" })).reserved).toBe(100);
    });

    it("when commits, releases and the expiry sweep race over the same reservations, then each settles exactly once", async () => {
      await seedItem(inventory.useCases, "HOT", 40);
      const ids = Array.from({ length: 40 }, (_, i) => `s-${i}`);
      const [overdue, current] = [ids.slice(0, 20), ids.slice(20)];
      for (const reservationId of overdue) {
        await inventory.useCases.reserve({ reservationId, lines: [{ sku: "HOT", quantity: 1 }] });
      }
      inventory.clock.advance(TEST_RESERVATION_TTL_MS / 2);
      for (const reservationId of current) {
        await inventory.useCases.reserve({ reservationId, lines: [{ sku: "HOT", quantity: 1 }] });
      }
      inventory.clock.advance(TEST_RESERVATION_TTL_MS / 2);

      await outcomes([
        inventory.useCases.expireReservations(inventory.clock.now()),
        ...ids.map((reservationId) => inventory.useCases.commit({ reservationId })),
        ...ids.map((reservationId) => inventory.useCases.release({ reservationId })),
        inventory.useCases.expireReservations(inventory.clock.now()),
      ]);

      const statuses = await Promise.all(
        ids.map(async (id) => (await inventory.repositories.reservations.findById(id))?.status),
      );
      const committed = statuses.filter((status) => status === "COMMITTED").length;
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill("EXPIRED"));
      expect(statuses.slice(20).every((status) => status === "COMMITTED" || status === "RELEASED")).toBe(
        true,
      );
      expect(await inventory.useCases.getItem({ sku: "HOT" })).toMatchObject({
        onHand: 40 - committed,
        reserved: 0,
      });
    });

    it("when an adjustment_id is sent 10 times at once, then stock moves once", async () => {
      await seedItem(inventory.useCases, "HOT", 0);

      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          inventory.useCases.adjustStock({ sku: "HOT", delta: 7, reason: "delivery", adjustmentId: "grn-1" }),
        ),
      );

      expect(new Set(results.map((r) => r.adjustment.id)).size).toBe(1);
      expect((await inventory.useCases.getItem({ sku: "HOT" })).onHand).toBe(7);
    });
  });
}
