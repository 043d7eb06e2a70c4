import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { caught } from "../domain/testing/caught.ts";
import { DB_SUITE, inventoryForSuite, seedItem, TEST_RESERVATION_TTL_MS } from "./testing/test-inventory.ts";

for (const kind of testDatabaseKinds()) {
  describe(`reservations on ${kind}`, DB_SUITE, () => {
    const inventory = inventoryForSuite(kind, "reservations", async ({ useCases }) => {
      await seedItem(useCases, "APPLE", 10, { amountMinor: 120, currencyCode: "EUR" });
      await seedItem(useCases, "PEAR", 5, { amountMinor: 300, currencyCode: "USD" });
    });

    const stockOf = async (sku: string) => {
      const { onHand, reserved, available } = await inventory.useCases.getItem({ sku });
      return { onHand, reserved, available };
    };

    it("when every line is in stock, then all are held and each line carries its unit price", async () => {
      const reservation = await inventory.useCases.reserve({
        reservationId: "order-1:reserve",
        lines: [
          { sku: "PEAR", quantity: 2 },
          { sku: "APPLE", quantity: 3 },
        ],
      });

      expect(reservation).toEqual({
        reservationId: "order-1:reserve",
        status: "HELD",
        lines: [
          {
            sku: "PEAR",
            quantity: 2,
            name: "Item PEAR",
            unitPrice: { amountMinor: 300, currencyCode: "USD" },
          },
          {
            sku: "APPLE",
            quantity: 3,
            name: "Item APPLE",
            unitPrice: { amountMinor: 120, currencyCode: "EUR" },
          },
        ],
        createdAt: inventory.clock.now(),
        expiresAt: new Date(inventory.clock.now().getTime() + TEST_RESERVATION_TTL_MS),
      });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 3, available: 7 });
      expect(await stockOf("PEAR")).toEqual({ onHand: 5, reserved: 2, available: 3 });
    });

    it("when a Reserve is repeated with the same lines, then the original comes back and nothing more is held", async () => {
      const lines = [
        { sku: "APPLE", quantity: 3 },
        { sku: "PEAR", quantity: 1 },
      ];
      const first = await inventory.useCases.reserve({ reservationId: "r-1", lines });
      await inventory.useCases.upsertItem({
        sku: "APPLE",
        name: "Apple",
        unitPrice: { amountMinor: 999, currencyCode: "EUR" },
      });
      inventory.clock.advance(1_000);

      const repeat = await inventory.useCases.reserve({ reservationId: "r-1", lines: [...lines].reverse() });

      expect(repeat).toEqual(first);
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 3, available: 7 });
    });

    it("when a reservation id is reused with different lines, then it is RESERVATION_CONFLICT and nothing changes", async () => {
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 3 }] });

      const error = await caught(() =>
        inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 4 }] }),
      );

      expect(error).toMatchObject({ codeName: "FAILED_PRECONDITION", reason: "RESERVATION_CONFLICT" });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 3, available: 7 });
    });

    it("when some lines are short, then it is INSUFFICIENT_STOCK naming each short SKU and nothing is held", async () => {
      await inventory.useCases.reserve({ reservationId: "other", lines: [{ sku: "PEAR", quantity: 4 }] });

      const error = await caught(() =>
        inventory.useCases.reserve({
          reservationId: "r-1",
          lines: [
            { sku: "PEAR", quantity: 2 },
            { sku: "APPLE", quantity: 10 },
          ],
        }),
      );

      expect(error).toMatchObject({
        codeName: "FAILED_PRECONDITION",
        reason: "INSUFFICIENT_STOCK",
        details: { shortages: [{ sku: "PEAR", requested: 2, available: 1 }] },
      });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });
      expect(await stockOf("PEAR")).toEqual({ onHand: 5, reserved: 4, available: 1 });
    });

    it("when every line is short, then every short SKU is named with what is available", async () => {
      const error = await caught(() =>
        inventory.useCases.reserve({
          reservationId: "r-1",
          lines: [
            { sku: "PEAR", quantity: 6 },
            { sku: "APPLE", quantity: 11 },
          ],
        }),
      );

      expect(error.details).toEqual({
        shortages: [
          { sku: "PEAR", requested: 6, available: 5 },
          { sku: "APPLE", requested: 11, available: 10 },
        ],
      });
    });

    it("when a SKU is unknown, then it is ITEM_NOT_FOUND naming it, nothing is held, and the id stays free", async () => {
      const lines = [
        { sku: "APPLE", quantity: 1 },
        { sku: "KIWI", quantity: 1 },
      ];
      const error = await caught(() => inventory.useCases.reserve({ reservationId: "r-1", lines }));

      expect(error).toMatchObject({
        codeName: "NOT_FOUND",
        reason: "ITEM_NOT_FOUND",
        details: { skus: ["KIWI"] },
      });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });

      await seedItem(inventory.useCases, "KIWI", 1);
      const retried = await inventory.useCases.reserve({ reservationId: "r-1", lines });
      expect(retried.status).toBe("HELD");
    });

    it("when the request is malformed, then it is INVALID_ARGUMENT naming the field and nothing changes", async () => {
      const error = await caught(() =>
        inventory.useCases.reserve({
          reservationId: "r-1",
          lines: [
            { sku: "APPLE", quantity: 1 },
            { sku: "APPLE", quantity: 0 },
          ],
        }),
      );

      expect(error).toMatchObject({ codeName: "INVALID_ARGUMENT", details: { field: "lines[1].sku" } });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });
      expect((await caught(() => inventory.useCases.release({ reservationId: "r-1" }))).reason).toBe(
        "RESERVATION_NOT_FOUND",
      );
    });

    it("when a held reservation is released, then its stock is available again, and a repeat changes nothing", async () => {
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 4 }] });

      const released = await inventory.useCases.release({ reservationId: "r-1" });
      const again = await inventory.useCases.release({ reservationId: "r-1" });

      expect(released.status).toBe("RELEASED");
      expect(again).toEqual(released);
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });
    });

    it("when a held reservation is committed, then on_hand and reserved both drop, and a repeat changes nothing", async () => {
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 4 }] });

      const committed = await inventory.useCases.commit({ reservationId: "r-1" });
      const again = await inventory.useCases.commit({ reservationId: "r-1" });

      expect(committed.status).toBe("COMMITTED");
      expect(again).toEqual(committed);
      expect(await stockOf("APPLE")).toEqual({ onHand: 6, reserved: 0, available: 6 });
    });

    it("when an item is renamed after it was reserved, then Commit and Release still return the name it had", async () => {
      await inventory.useCases.reserve({ reservationId: "r-c", lines: [{ sku: "APPLE", quantity: 1 }] });
      await inventory.useCases.reserve({ reservationId: "r-r", lines: [{ sku: "APPLE", quantity: 1 }] });
      await inventory.useCases.upsertItem({
        sku: "APPLE",
        name: "Green apple",
        unitPrice: { amountMinor: 130, currencyCode: "EUR" },
      });

      const committed = await inventory.useCases.commit({ reservationId: "r-c" });
      const released = await inventory.useCases.release({ reservationId: "r-r" });

      for (const reservation of [committed, released]) {
        expect(reservation.lines).toEqual([
          {
            sku: "APPLE",
            quantity: 1,
            name: "Item APPLE",
            unitPrice: { amountMinor: 120, currencyCode: "EUR" },
          },
        ]);
      }
    });

    it("when a committed reservation is released, then it is RESERVATION_COMMITTED and the stock stays shipped", async () => {
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 4 }] });
      await inventory.useCases.commit({ reservationId: "r-1" });

      const error = await caught(() => inventory.useCases.release({ reservationId: "r-1" }));

      expect(error).toMatchObject({ codeName: "FAILED_PRECONDITION", reason: "RESERVATION_COMMITTED" });
      expect(await stockOf("APPLE")).toEqual({ onHand: 6, reserved: 0, available: 6 });
    });

    it("when a released reservation is committed, then it is RESERVATION_NOT_HELD and nothing ships", async () => {
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 4 }] });
      await inventory.useCases.release({ reservationId: "r-1" });

      const error = await caught(() => inventory.useCases.commit({ reservationId: "r-1" }));

      expect(error).toMatchObject({ codeName: "FAILED_PRECONDITION", reason: "RESERVATION_NOT_HELD" });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });
    });

    it("when the reservation id is unknown, then Release and Commit are RESERVATION_NOT_FOUND", async () => {
      for (const settle of [inventory.useCases.release, inventory.useCases.commit]) {
        const error = await caught(() => settle({ reservationId: "nope" }));
        expect(error).toMatchObject({ codeName: "NOT_FOUND", reason: "RESERVATION_NOT_FOUND" });
      }
    });

    it("when the TTL passes and the sweep runs, then held stock comes back and the reservation is EXPIRED", async () => {
      await inventory.useCases.reserve({ reservationId: "old", lines: [{ sku: "APPLE", quantity: 4 }] });
      inventory.clock.advance(TEST_RESERVATION_TTL_MS / 2);
      await inventory.useCases.reserve({ reservationId: "new", lines: [{ sku: "APPLE", quantity: 1 }] });
      await inventory.useCases.reserve({ reservationId: "done", lines: [{ sku: "PEAR", quantity: 1 }] });
      await inventory.useCases.commit({ reservationId: "done" });
      inventory.clock.advance(TEST_RESERVATION_TTL_MS / 2);

      const expired = await inventory.useCases.expireReservations(inventory.clock.now());

      expect(expired).toBe(1);
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 1, available: 9 });
      expect((await inventory.useCases.release({ reservationId: "old" })).status).toBe("EXPIRED");
      expect((await caught(() => inventory.useCases.commit({ reservationId: "old" }))).reason).toBe(
        "RESERVATION_NOT_HELD",
      );
      expect(await inventory.useCases.expireReservations(inventory.clock.now())).toBe(0);
    });

    it("when more reservations are overdue than one batch, then one sweep expires them all", async () => {
      for (let i = 0; i < 7; i += 1) {
        await inventory.useCases.reserve({ reservationId: `r-${i}`, lines: [{ sku: "APPLE", quantity: 1 }] });
      }
      inventory.clock.advance(TEST_RESERVATION_TTL_MS);
      const { makeExpireReservations } = await import("../domain/use-cases/expire-reservations.use-case.ts");
      const sweep = makeExpireReservations({
        reservations: inventory.repositories.reservations,
        unitOfWork: inventory.unitOfWork,
        batchSize: 3,
      });

      expect(await sweep(inventory.clock.now())).toBe(7);
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });
    });

    it("when the deadline passed but no sweep ran yet, then Commit is RESERVATION_NOT_HELD and the stock comes back", async () => {
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "APPLE", quantity: 4 }] });
      inventory.clock.advance(TEST_RESERVATION_TTL_MS);

      const error = await caught(() => inventory.useCases.commit({ reservationId: "r-1" }));

      expect(error).toMatchObject({ reason: "RESERVATION_NOT_HELD", details: { status: "EXPIRED" } });
      expect(await stockOf("APPLE")).toEqual({ onHand: 10, reserved: 0, available: 10 });
      const repeat = await inventory.useCases.reserve({
        reservationId: "r-1",
        lines: [{ sku: "APPLE", quantity: 4 }],
      });
      expect(repeat.status).toBe("EXPIRED");
    });
  });
}
