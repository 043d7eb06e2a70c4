import { testDatabaseKinds } from "@orderly/testkit/db";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countStatements } from "./testing/statement-counter.ts";
import {
  DB_SUITE,
  type InventoryTestUseCases,
  inventoryForSuite,
  inventoryUseCasesOver,
  seedItem,
} from "./testing/test-inventory.ts";

/*
 * How many round trips the reservation calls cost. Reserve sits on the order path and a hot SKU's row
 * lock is held until its transaction ends, so these counts are a budget: raising one is a decision.
 */
for (const kind of testDatabaseKinds()) {
  describe(`statements per reservation call on ${kind}`, DB_SUITE, () => {
    const inventory = inventoryForSuite(kind, "statements", async ({ useCases }) => {
      for (const sku of ["A", "B", "C"]) await seedItem(useCases, sku, 10);
    });
    // Registered after the suite's own hooks, so these run once the inventory is open and seeded.
    let counted: ReturnType<typeof countStatements<unknown>>;
    let useCases: InventoryTestUseCases;
    beforeAll(() => {
      counted = countStatements(inventory.database.db as never);
      useCases = inventoryUseCasesOver(counted.db as never, inventory.clock).useCases;
    });
    beforeEach(() => {
      counted.reset();
    });

    const threeLines = [
      { sku: "C", quantity: 1 },
      { sku: "A", quantity: 2 },
      { sku: "B", quantity: 3 },
    ];

    it("when a three-line Reserve holds stock, then it is one statement outside any explicit transaction", async () => {
      await useCases.reserve({ reservationId: "r-1", lines: threeLines });

      expect(counted.counts).toEqual({ statements: 1, transactions: 0 });
    });

    it("when a three-line Reserve is short of stock, then it costs two statements and holds nothing", async () => {
      const shortOfB = [
        { sku: "C", quantity: 1 },
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 99 },
      ];

      await expect(useCases.reserve({ reservationId: "r-1", lines: shortOfB })).rejects.toMatchObject({
        reason: "INSUFFICIENT_STOCK",
      });

      // The second statement asks whether a concurrent twin of this Reserve took the id meanwhile.
      expect(counted.counts).toEqual({ statements: 2, transactions: 0 });
    });

    it("when a three-line reservation is released, then it is one transaction of two statements", async () => {
      await useCases.reserve({ reservationId: "r-1", lines: threeLines });
      counted.reset();

      await useCases.release({ reservationId: "r-1" });

      expect(counted.counts).toEqual({ statements: 2, transactions: 1 });
    });

    it("when a three-line reservation is committed, then it is one transaction of two statements", async () => {
      await useCases.reserve({ reservationId: "r-1", lines: threeLines });
      counted.reset();

      await useCases.commit({ reservationId: "r-1" });

      expect(counted.counts).toEqual({ statements: 2, transactions: 1 });
    });
  });
}
