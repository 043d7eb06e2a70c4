import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { failure, fieldsOf, useInventory } from "./support/inventory-harness.ts";

const eur = (amountMinor: bigint) => ({ currencyCode: "EUR", amountMinor });

for (const kind of testDatabaseKinds()) {
  describe(`items over gRPC (${kind})`, () => {
    // One server and database per kind; every test uses its own SKUs and ids.
    const h = useInventory(kind, "grpc_items");

    it("when an item is upserted twice, then it is created once, then renamed and repriced, and GetItem shows it", async () => {
      const first = await h.inventory.upsertItem({ sku: "G-UPSERT", name: "Mug", unitPrice: eur(1250n) });
      const second = await h.inventory.upsertItem({
        sku: "G-UPSERT",
        name: "Big mug",
        unitPrice: eur(1500n),
      });
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      const { item } = await h.inventory.getItem({ sku: "G-UPSERT" });
      expect(item).toMatchObject({
        sku: "G-UPSERT",
        name: "Big mug",
        unitPrice: { currencyCode: "EUR", amountMinor: 1500n },
        onHand: 0n,
        reserved: 0n,
        available: 0n,
      });
      expect(item?.updatedAt?.seconds).toBeGreaterThan(0n);
    });

    it("when stock is adjusted, then on_hand follows and ListAdjustments returns the trail oldest first", async () => {
      await h.seed("G-ADJ", 0);
      await h.inventory.adjustStock({ sku: "G-ADJ", delta: 10n, reason: "delivery", adjustmentId: "g-in" });
      const removed = await h.inventory.adjustStock({
        sku: "G-ADJ",
        delta: -3n,
        reason: "breakage",
        adjustmentId: "g-out",
      });
      expect(removed.item).toMatchObject({ onHand: 7n, available: 7n });
      expect(removed.adjustment).toMatchObject({
        sku: "G-ADJ",
        delta: -3n,
        reason: "breakage",
        onHandAfter: 7n,
      });

      const trail = await h.inventory.listAdjustments({ sku: "G-ADJ" });
      expect(trail.adjustments.map((a) => [a.delta, a.onHandAfter])).toEqual([
        [10n, 10n],
        [-3n, 7n],
      ]);
      expect(trail.nextPageToken).toBe("");
    });

    it("when an adjustment is repeated with its adjustment_id, then the original comes back and stock moves once", async () => {
      await h.seed("G-ADJ-ONCE", 0);
      const request = { sku: "G-ADJ-ONCE", delta: 4n, reason: "delivery", adjustmentId: "delivery-42" };
      const first = await h.inventory.adjustStock(request);
      const again = await h.inventory.adjustStock(request);
      expect(again.adjustment).toEqual(first.adjustment);
      expect(await h.stock("G-ADJ-ONCE")).toEqual({ onHand: 4, reserved: 0, available: 4 });
      expect((await h.inventory.listAdjustments({ sku: "G-ADJ-ONCE" })).adjustments).toHaveLength(1);

      const reused = await failure(h.inventory.adjustStock({ ...request, delta: 5n }));
      expect(reused).toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "ADJUSTMENT_CONFLICT" });
      expect((await h.stock("G-ADJ-ONCE")).onHand).toBe(4);
    });

    it("when removal would take on_hand below what is reserved, then STOCK_BELOW_ZERO and stock stays", async () => {
      await h.seed("G-BELOW", 2);
      await h.inventory.reserve({ reservationId: "below-1", lines: [{ sku: "G-BELOW", quantity: 2n }] });
      const error = await failure(
        h.inventory.adjustStock({ sku: "G-BELOW", delta: -1n, reason: "loss", adjustmentId: "g-loss" }),
      );
      expect(error).toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "STOCK_BELOW_ZERO" });
      expect(await h.stock("G-BELOW")).toEqual({ onHand: 2, reserved: 2, available: 0 });
    });

    it("when items are listed by SKU page by page, then each named item comes once, in SKU order", async () => {
      for (const sku of ["G-LIST-A", "G-LIST-B", "G-LIST-C"]) await h.seed(sku, 1);
      const skus = ["G-LIST-C", "G-LIST-A", "G-LIST-B", "G-LIST-NONE"];
      const first = await h.inventory.listItems({ skus, pageSize: 2 });
      const second = await h.inventory.listItems({ skus, pageSize: 2, pageToken: first.nextPageToken });
      expect(first.items.map((i) => i.sku)).toEqual(["G-LIST-A", "G-LIST-B"]);
      expect(second.items.map((i) => i.sku)).toEqual(["G-LIST-C"]);
      expect(second.nextPageToken).toBe("");
    });

    it("when a SKU is unknown, then GetItem and ListAdjustments are NOT_FOUND ITEM_NOT_FOUND", async () => {
      const calls = [
        () => h.inventory.getItem({ sku: "G-NOPE" }),
        () => h.inventory.listAdjustments({ sku: "G-NOPE" }),
      ];
      for (const call of calls) {
        expect(await failure(call())).toMatchObject({ code: Code.NOT_FOUND, reason: "ITEM_NOT_FOUND" });
      }
    });

    it("when an item is upserted with bad fields, then INVALID_ARGUMENT names each field and nothing is stored", async () => {
      const cases = [
        [{ sku: "", name: "Mug", unitPrice: eur(1n) }, ["sku"]],
        [{ sku: "g-lower", name: "Mug", unitPrice: eur(1n) }, ["sku"]],
        [{ sku: "G-BAD-1", name: "", unitPrice: eur(1n) }, ["name"]],
        [{ sku: "G-BAD-1", name: "x".repeat(201), unitPrice: eur(1n) }, ["name"]],
        [
          { sku: "G-BAD-1", name: "Mug", unitPrice: { currencyCode: "ABC", amountMinor: 1n } },
          ["unit_price.currency_code"],
        ],
        [{ sku: "G-BAD-1", name: "Mug", unitPrice: eur(-1n) }, ["unit_price.amount_minor"]],
        [{ sku: "G-BAD-1", name: "Mug", unitPrice: eur(2n ** 62n) }, ["unit_price.amount_minor"]],
        [{ sku: "G-BAD-1", name: "Mug" }, ["unit_price"]],
        [{ sku: "G-BAD-1", name: "Mug\u0000", unitPrice: eur(1n) }, ["name"]],
        [{ sku: "G-BAD-1", name: "Mug\u001b[31m", unitPrice: eur(1n) }, ["name"]],
        [{ sku: "G-BAD-1\u0000", name: "Mug", unitPrice: eur(1n) }, ["sku"]],
      ] as const;
      for (const [request, fields] of cases) {
        const error = await failure(h.inventory.upsertItem(request));
        expect({ code: error.code, reason: error.reason, fields: fieldsOf(error) }).toEqual({
          code: Code.INVALID_ARGUMENT,
          reason: "VALIDATION_FAILED",
          fields,
        });
      }
      expect(await failure(h.inventory.getItem({ sku: "G-BAD-1" }))).toMatchObject({
        reason: "ITEM_NOT_FOUND",
      });
    });

    it("when stock is adjusted with bad fields, then INVALID_ARGUMENT names each field and stock and trail stay", async () => {
      await h.seed("G-BAD-ADJ", 5);
      const cases = [
        [{ sku: "G-BAD-ADJ", delta: 0n, reason: "count", adjustmentId: "k-1" }, ["delta"]],
        [{ sku: "G-BAD-ADJ", delta: 2n ** 62n, reason: "count", adjustmentId: "k-1" }, ["delta"]],
        [{ sku: "G-BAD-ADJ", delta: 1n, reason: "", adjustmentId: "k-1" }, ["reason"]],
        [{ sku: "G-BAD-ADJ", delta: 1n, reason: "x".repeat(5000), adjustmentId: "k-1" }, ["reason"]],
        [{ sku: "G-BAD-ADJ", delta: 1n, reason: "count", adjustmentId: "k".repeat(129) }, ["adjustment_id"]],
        [{ sku: "G-BAD-ADJ", delta: 1n, reason: "count" }, ["adjustment_id"]],
        [{ sku: "G-BAD-ADJ", delta: 1n, reason: "count\u0000", adjustmentId: "k-1" }, ["reason"]],
        [{ sku: "G-BAD-ADJ", delta: 1n, reason: "count", adjustmentId: "k\u0007" }, ["adjustment_id"]],
        [{ sku: "", delta: 0n, reason: "" }, ["sku", "delta", "reason", "adjustment_id"]],
      ] as const;
      for (const [request, fields] of cases) {
        const error = await failure(h.inventory.adjustStock(request));
        expect({ code: error.code, fields: fieldsOf(error) }).toEqual({
          code: Code.INVALID_ARGUMENT,
          fields,
        });
      }
      expect(await h.stock("G-BAD-ADJ")).toEqual({ onHand: 5, reserved: 0, available: 5 });
      expect((await h.inventory.listAdjustments({ sku: "G-BAD-ADJ" })).adjustments).toHaveLength(1);
    });

    it("when a list is asked for with bad paging or filters, then INVALID_ARGUMENT names the field", async () => {
      const cases = [
        [() => h.inventory.listItems({ pageSize: 500 }), ["page_size"]],
        [() => h.inventory.listItems({ pageToken: "not a token" }), ["page_token"]],
        [() => h.inventory.listItems({ skus: ["G-OK", "bad sku"] }), ["skus[1]"]],
        [() => h.inventory.listAdjustments({ sku: "" }), ["sku"]],
        [() => h.inventory.listAdjustments({ sku: "G-ADJ", pageSize: -1 }), ["page_size"]],
      ] as const;
      for (const [call, fields] of cases) {
        const error = await failure(call());
        expect({ code: error.code, fields: fieldsOf(error) }).toEqual({
          code: Code.INVALID_ARGUMENT,
          fields,
        });
      }
    });

    it("when a request is not valid protobuf, then INVALID_ARGUMENT and stock stays", async () => {
      await h.seed("G-RAW", 3);
      // Field 1 (sku), length-delimited, claims 5 bytes and carries 1.
      const answer = await h.rawCall("AdjustStock", Uint8Array.of(0x0a, 0x05, 0x41));
      expect(answer).toEqual({
        code: Code.INVALID_ARGUMENT,
        details: "malformed request message",
        reason: "VALIDATION_FAILED",
      });
      expect(await h.stock("G-RAW")).toEqual({ onHand: 3, reserved: 0, available: 3 });
    });
  });
}
