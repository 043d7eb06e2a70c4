import { uuidv7 } from "@orderly/kit/db";
import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import type { Shipment } from "../domain/shipment.entity.ts";
import type { ListShipmentsInput } from "../domain/validation/list-shipments.validation.ts";
import { fulfillmentForSuite } from "./fulfillment.test-fixture.ts";
import { toInsertRow } from "./shipment-row.mapper.ts";

for (const kind of testDatabaseKinds()) {
  describe(`ListShipments on ${kind}`, () => {
    const suite = fulfillmentForSuite(kind);

    async function createMany(count: number): Promise<Shipment[]> {
      const created: Shipment[] = [];
      for (let i = 0; i < count; i++) {
        created.push(
          await suite.useCases.create({
            orderId: `order-${i}`,
            lines: [{ sku: "SKU-1", quantity: i + 1 }],
            address: {
              name: "Ada",
              line1: "1 Main St",
              city: "Paris",
              postalCode: "75001",
              countryCode: "FR",
            },
          }),
        );
      }
      return created;
    }

    /** Stores `count` shipments in one transaction, without events: quicker than `count` creates. */
    async function seed(count: number): Promise<void> {
      const now = suite.fixture.clock.now();
      await suite.fixture.database.transaction(async (trx) => {
        for (let i = 0; i < count; i++) {
          const shipment: Shipment = {
            id: uuidv7(),
            orderId: `seeded-${i}`,
            customerId: "",
            status: "PENDING",
            lines: [{ sku: "SKU-1", quantity: 1 }],
            address: {
              name: "Ada",
              line1: "1 Main St",
              line2: "",
              city: "Paris",
              postalCode: "75001",
              countryCode: "FR",
            },
            carrier: null,
            trackingNumber: null,
            cancelReason: null,
            createdAt: now,
            updatedAt: now,
          };
          await trx.insertInto("shipments").values(toInsertRow(shipment)).execute();
        }
      });
    }

    /** Follows next_page_token to the end; returns the pages' sizes and everything listed. */
    async function listAll(input: ListShipmentsInput): Promise<{ sizes: number[]; shipments: Shipment[] }> {
      const sizes: number[] = [];
      const shipments: Shipment[] = [];
      let pageToken = "";
      do {
        const page = await suite.useCases.list({ ...input, pageToken });
        sizes.push(page.items.length);
        shipments.push(...page.items);
        pageToken = page.next ?? "";
      } while (pageToken !== "");
      return { sizes, shipments };
    }

    const byId = (a: Shipment, b: Shipment) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

    it("when there are no shipments, then the list is empty and has no next page", async () => {
      expect(await suite.useCases.list({})).toEqual({ items: [], next: undefined });
    });

    it("when shipments are listed two at a time, then every one appears exactly once, in id order", async () => {
      const created = await createMany(5);

      const { sizes, shipments } = await listAll({ pageSize: 2 });

      expect(sizes).toEqual([2, 2, 1]);
      expect(shipments).toEqual([...created].sort(byId));
    });

    it("when the last page is exactly full, then it has no next page token", async () => {
      await createMany(4);

      const { sizes } = await listAll({ pageSize: 2 });

      expect(sizes).toEqual([2, 2]);
    });

    it("when page_size is 0, then pages of 50 come back", async () => {
      await seed(52);

      const { sizes } = await listAll({ pageSize: 0 });

      expect(sizes).toEqual([50, 2]);
    });

    it("when page_size is 100, then up to 100 come back", async () => {
      await seed(101);

      const { sizes } = await listAll({ pageSize: 100 });

      expect(sizes).toEqual([100, 1]);
    });

    it("when listing by status, then only shipments in that status come back, page by page", async () => {
      const created = await createMany(5);
      const picking = [created[0], created[2], created[4]].filter((s): s is Shipment => s !== undefined);
      for (const shipment of picking) await suite.useCases.advance({ id: shipment.id, toStatus: "PICKING" });

      const { sizes, shipments } = await listAll({ status: "PICKING", pageSize: 2 });

      expect(sizes).toEqual([2, 1]);
      expect(shipments.map((s) => s.id)).toEqual(picking.map((s) => s.id).sort());
      expect(shipments.every((s) => s.status === "PICKING")).toBe(true);
    });

    it("when listing by order id, then that order's shipment comes back", async () => {
      const created = await createMany(3);

      const page = await suite.useCases.list({ orderId: "order-1" });

      expect(page).toEqual({ items: [created[1]], next: undefined });
    });

    it("when a page token is reused with another filter, then INVALID_ARGUMENT names page_token", async () => {
      await createMany(3);
      const first = await suite.useCases.list({ pageSize: 1 });

      await expect(
        suite.useCases.list({ pageSize: 1, status: "PENDING", pageToken: first.next ?? "" }),
      ).rejects.toMatchObject({ code: Code.INVALID_ARGUMENT, details: { field: "page_token" } });
    });

    it("when shipments are created between pages, then earlier pages are not repeated", async () => {
      await createMany(3);
      const first = await suite.useCases.list({ pageSize: 2 });
      suite.fixture.clock.advance(1_000);
      await suite.useCases.create({
        orderId: "late-order",
        lines: [{ sku: "SKU-9", quantity: 1 }],
        address: { name: "Bo", line1: "2 Main St", city: "Lyon", postalCode: "69001", countryCode: "FR" },
      });

      const second = await suite.useCases.list({ pageSize: 2, pageToken: first.next ?? "" });

      const firstIds = new Set(first.items.map((s) => s.id));
      expect(second.items.some((s) => firstIds.has(s.id))).toBe(false);
    });
  });
}
