import { testDatabaseKinds } from "@orderly/testkit/db";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { caught } from "../domain/testing/caught.ts";
import { DB_SUITE, inventoryForSuite, seedItem } from "./testing/test-inventory.ts";

for (const kind of testDatabaseKinds()) {
  describe(`items on ${kind}`, DB_SUITE, () => {
    const inventory = inventoryForSuite(kind, "items");

    it("when a new SKU is upserted, then it is created with no stock", async () => {
      const result = await inventory.useCases.upsertItem({
        sku: "MUG-RED",
        name: "Red mug",
        unitPrice: { amountMinor: 899, currencyCode: "EUR" },
      });

      expect(result).toEqual({
        created: true,
        item: {
          sku: "MUG-RED",
          name: "Red mug",
          unitPrice: { amountMinor: 899, currencyCode: "EUR" },
          onHand: 0,
          reserved: 0,
          available: 0,
          updatedAt: inventory.clock.now(),
        },
      });
      expect(await inventory.useCases.getItem({ sku: "MUG-RED" })).toEqual(result.item);
    });

    it("when an existing SKU is upserted, then name and price are replaced and stock is kept", async () => {
      await seedItem(inventory.useCases, "MUG-RED", 7);
      inventory.clock.advance(60_000);

      const result = await inventory.useCases.upsertItem({
        sku: "MUG-RED",
        name: "Red mug, large",
        unitPrice: { amountMinor: 150_000, currencyCode: "JPY" },
      });

      expect(result.created).toBe(false);
      expect(result.item).toMatchObject({
        name: "Red mug, large",
        unitPrice: { amountMinor: 150_000, currencyCode: "JPY" },
        onHand: 7,
        available: 7,
        updatedAt: inventory.clock.now(),
      });
    });

    it("when an upsert is malformed, then every bad field is named and nothing is stored", async () => {
      const error = await caught(() =>
        inventory.useCases.upsertItem({
          sku: "mug",
          name: "",
          unitPrice: { amountMinor: -5, currencyCode: "EURO" },
        }),
      );

      expect(error.codeName).toBe("INVALID_ARGUMENT");
      expect(error.details.violations).toEqual([
        { field: "sku", description: expect.any(String) },
        { field: "name", description: expect.any(String) },
        { field: "unit_price.currency_code", description: expect.any(String) },
        { field: "unit_price.amount_minor", description: expect.any(String) },
      ]);
      expect((await inventory.useCases.listItems({})).items).toEqual([]);
    });

    it("when an unknown SKU is asked for, then it is ITEM_NOT_FOUND naming it", async () => {
      const error = await caught(() => inventory.useCases.getItem({ sku: "NOPE" }));
      expect(error).toMatchObject({
        codeName: "NOT_FOUND",
        reason: "ITEM_NOT_FOUND",
        details: { skus: ["NOPE"] },
      });
    });

    it("when items are listed page by page, then every item comes once, in SKU order, and the last page has no token", async () => {
      const skus = Array.from({ length: 7 }, (_, i) => `SKU-${String(i).padStart(2, "0")}`);
      for (const sku of [...skus].reverse()) await seedItem(inventory.useCases, sku, 1);

      const pages: string[][] = [];
      let pageToken: string | undefined;
      do {
        const page = await inventory.useCases.listItems({ pageSize: 3, pageToken });
        pages.push(page.items.map((item) => item.sku));
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);

      expect(pages).toEqual([skus.slice(0, 3), skus.slice(3, 6), skus.slice(6)]);
    });

    it("when exactly a page's worth is left, then no empty page follows", async () => {
      for (const sku of ["A", "B", "C", "D"]) await seedItem(inventory.useCases, sku, 0);

      const first = await inventory.useCases.listItems({ pageSize: 2 });
      const second = await inventory.useCases.listItems({ pageSize: 2, pageToken: first.nextPageToken });

      expect(second.items.map((item) => item.sku)).toEqual(["C", "D"]);
      expect(second.nextPageToken).toBeUndefined();
    });

    it("when a SKU filter is given, then only those that exist come back", async () => {
      for (const sku of ["A", "B", "C"]) await seedItem(inventory.useCases, sku, 0);

      const page = await inventory.useCases.listItems({ skus: ["C", "A", "ZZZ"] });

      expect(page.items.map((item) => item.sku)).toEqual(["A", "C"]);
      expect(page.nextPageToken).toBeUndefined();
    });

    it("when no page size is given, then a page holds 50", async () => {
      for (let i = 0; i < 51; i += 1)
        await seedItem(inventory.useCases, `S-${String(i).padStart(3, "0")}`, 0);

      const page = await inventory.useCases.listItems({ pageSize: 0 });

      expect(page.items).toHaveLength(50);
      expect(page.nextPageToken).toBeDefined();
    });

    it("when list parameters are bad, then page_size, page_token and skus[i] are named", async () => {
      const error = await caught(() =>
        inventory.useCases.listItems({ pageSize: 500, pageToken: "garbage!", skus: ["OK", "bad"] }),
      );
      expect(error.details.violations).toEqual([
        { field: "page_size", description: expect.any(String) },
        { field: "page_token", description: expect.any(String) },
        { field: "skus[1]", description: expect.any(String) },
      ]);
    });

    it("when a write would take available below zero, then the database refuses it too", async () => {
      await seedItem(inventory.useCases, "A", 1);
      await expect(
        sql`update items set reserved = 2 where sku = 'A'`.execute(inventory.database.db),
      ).rejects.toThrow(/items_available_not_negative/);
    });
  });
}
