import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { caught } from "../domain/testing/caught.ts";
import { DB_SUITE, inventoryForSuite, seedItem } from "./testing/test-inventory.ts";

for (const kind of testDatabaseKinds()) {
  describe(`stock adjustments on ${kind}`, DB_SUITE, () => {
    const inventory = inventoryForSuite(kind, "adjustments", async ({ useCases }) => {
      await seedItem(useCases, "BOLT", 0);
    });

    const trailOf = async (sku: string) =>
      (await inventory.useCases.listAdjustments({ sku })).adjustments.map(
        ({ delta, reason, onHandAfter }) => ({
          delta,
          reason,
          onHandAfter,
        }),
      );

    it("when stock is adjusted, then on_hand changes and the audit trail records each change in order", async () => {
      const received = await inventory.useCases.adjustStock({
        sku: "BOLT",
        delta: 100,
        reason: "delivery 42",
        adjustmentId: "bolt-in-1",
      });
      inventory.clock.advance(1_000);
      const broken = await inventory.useCases.adjustStock({
        sku: "BOLT",
        delta: -3,
        reason: "broken in stock",
        adjustmentId: "bolt-out-1",
      });

      expect(received.item).toMatchObject({ onHand: 100, available: 100 });
      expect(broken.item).toMatchObject({ onHand: 97, available: 97 });
      expect(broken.adjustment).toMatchObject({
        sku: "BOLT",
        delta: -3,
        reason: "broken in stock",
        onHandAfter: 97,
        adjustmentId: "bolt-out-1",
        createdAt: inventory.clock.now(),
      });
      expect(broken.adjustment.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(await trailOf("BOLT")).toEqual([
        { delta: 100, reason: "delivery 42", onHandAfter: 100 },
        { delta: -3, reason: "broken in stock", onHandAfter: 97 },
      ]);
    });

    it("when an adjustment would take on_hand below what is reserved, then it is STOCK_BELOW_ZERO and nothing changes", async () => {
      await inventory.useCases.adjustStock({
        sku: "BOLT",
        delta: 10,
        reason: "delivery",
        adjustmentId: "in-1",
      });
      await inventory.useCases.reserve({ reservationId: "r-1", lines: [{ sku: "BOLT", quantity: 8 }] });

      const error = await caught(() =>
        inventory.useCases.adjustStock({ sku: "BOLT", delta: -3, reason: "count", adjustmentId: "count-1" }),
      );

      expect(error).toMatchObject({
        codeName: "FAILED_PRECONDITION",
        reason: "STOCK_BELOW_ZERO",
        details: { sku: "BOLT", on_hand: 10, reserved: 8, delta: -3 },
      });
      expect(await inventory.useCases.getItem({ sku: "BOLT" })).toMatchObject({ onHand: 10, reserved: 8 });
      expect(await trailOf("BOLT")).toHaveLength(1);
    });

    it("when an adjustment_id is repeated with the same sku and delta, then the first result comes back and stock moves once", async () => {
      const first = await inventory.useCases.adjustStock({
        sku: "BOLT",
        delta: 5,
        reason: "delivery",
        adjustmentId: "grn-7",
      });
      const repeat = await inventory.useCases.adjustStock({
        sku: "BOLT",
        delta: 5,
        reason: "delivery (retry)",
        adjustmentId: "grn-7",
      });

      expect(repeat).toEqual(first);
      expect(first.adjustment.adjustmentId).toBe("grn-7");
      expect(await trailOf("BOLT")).toHaveLength(1);
    });

    it("when an adjustment_id is reused with another delta or sku, then it is ADJUSTMENT_CONFLICT and nothing changes", async () => {
      await seedItem(inventory.useCases, "NUT", 0);
      await inventory.useCases.adjustStock({
        sku: "BOLT",
        delta: 5,
        reason: "delivery",
        adjustmentId: "grn-7",
      });

      for (const reuse of [
        { sku: "BOLT", delta: 6 },
        { sku: "NUT", delta: 5 },
      ]) {
        const error = await caught(() =>
          inventory.useCases.adjustStock({ ...reuse, reason: "delivery", adjustmentId: "grn-7" }),
        );
        expect(error).toMatchObject({ codeName: "FAILED_PRECONDITION", reason: "ADJUSTMENT_CONFLICT" });
      }
      expect((await inventory.useCases.getItem({ sku: "BOLT" })).onHand).toBe(5);
      expect((await inventory.useCases.getItem({ sku: "NUT" })).onHand).toBe(0);
    });

    it("when an adjustment is malformed, then each bad field is named and nothing changes", async () => {
      const error = await caught(() =>
        inventory.useCases.adjustStock({ sku: "BOLT", delta: 0, reason: " ", adjustmentId: "x".repeat(129) }),
      );

      expect(error.details.violations).toEqual([
        { field: "delta", description: "must not be zero" },
        { field: "reason", description: "is required" },
        { field: "adjustment_id", description: "must be at most 128 characters" },
      ]);
      expect(await trailOf("BOLT")).toEqual([]);
    });

    it("when an adjustment has no adjustment_id, then it is INVALID_ARGUMENT naming adjustment_id and nothing changes", async () => {
      for (const adjustmentId of [undefined, ""]) {
        const error = await caught(() =>
          inventory.useCases.adjustStock({ sku: "BOLT", delta: 4, reason: "delivery", adjustmentId }),
        );

        expect(error).toMatchObject({ codeName: "INVALID_ARGUMENT" });
        expect(error.details.violations).toEqual([
          {
            field: "adjustment_id",
            description: "is required: an idempotency key (1 to 128 characters) so that a retry applies once",
          },
        ]);
      }
      expect((await inventory.useCases.getItem({ sku: "BOLT" })).onHand).toBe(0);
      expect(await trailOf("BOLT")).toEqual([]);
    });

    it("when the SKU is unknown, then AdjustStock and ListAdjustments are ITEM_NOT_FOUND", async () => {
      for (const call of [
        () => inventory.useCases.adjustStock({ sku: "NOPE", delta: 1, reason: "x", adjustmentId: "x-1" }),
        () => inventory.useCases.listAdjustments({ sku: "NOPE" }),
      ]) {
        expect(await caught(call)).toMatchObject({ codeName: "NOT_FOUND", reason: "ITEM_NOT_FOUND" });
      }
    });

    it("when the trail is listed page by page, then it holds only this SKU's entries, each once, oldest first", async () => {
      await seedItem(inventory.useCases, "NUT", 0);
      for (let i = 1; i <= 5; i += 1) {
        await inventory.useCases.adjustStock({
          sku: "BOLT",
          delta: i,
          reason: `bolt ${i}`,
          adjustmentId: `bolt-${i}`,
        });
        await inventory.useCases.adjustStock({
          sku: "NUT",
          delta: i,
          reason: `nut ${i}`,
          adjustmentId: `nut-${i}`,
        });
      }

      const reasons: string[][] = [];
      let pageToken: string | undefined;
      do {
        const page = await inventory.useCases.listAdjustments({ sku: "BOLT", pageSize: 2, pageToken });
        reasons.push(page.adjustments.map((adjustment) => adjustment.reason));
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);

      expect(reasons).toEqual([["bolt 1", "bolt 2"], ["bolt 3", "bolt 4"], ["bolt 5"]]);
      const nutToken = (await inventory.useCases.listAdjustments({ sku: "NUT", pageSize: 1 })).nextPageToken;
      const error = await caught(() =>
        inventory.useCases.listAdjustments({ sku: "BOLT", pageToken: nutToken }),
      );
      expect(error.details).toMatchObject({ field: "page_token" });
    });
  });
}
