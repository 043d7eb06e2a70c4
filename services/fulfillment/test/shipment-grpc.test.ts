import * as grpc from "@grpc/grpc-js";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { expectRejected, rawUnary } from "@orderly/testkit/grpc";
import { freePort } from "@orderly/testkit/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AddressInit,
  type CreateShipmentInit,
  createRequest,
  type RunningFulfillment,
  startFulfillment,
} from "./fulfillment.test-support.ts";

const UNKNOWN_ID = "0190f3a2-0000-7000-8000-000000000099";

for (const kind of testDatabaseKinds()) {
  describe(`fulfillment gRPC API (${kind})`, () => {
    let svc: RunningFulfillment;
    // One service and database per kind; every test uses its own order ids.
    beforeAll(async () => {
      svc = await startFulfillment(kind, "fulfillment_grpc", await freePort());
    });
    afterAll(async () => {
      await svc?.stop();
    });

    const create = async (orderId: string) => {
      const { shipment } = await svc.grpc.createShipment(createRequest(orderId));
      if (!shipment) throw new Error("CreateShipment answered without a shipment");
      return shipment;
    };
    const countFor = async (orderId: string) => (await svc.grpc.listShipments({ orderId })).shipments.length;

    it("when a shipment is created, then it is PENDING with the lines and address, and GetShipment returns it", async () => {
      const created = await create("grpc-create-1");

      expect(created).toMatchObject({
        orderId: "grpc-create-1",
        customerId: "customer-ada",
        status: ShipmentStatus.PENDING,
        lines: [
          { sku: "MUG-1", quantity: 2n },
          { sku: "TEE-RED-M", quantity: 1n },
        ],
        address: { name: "Ada Lovelace", line2: "Floor 2", postalCode: "10115", countryCode: "DE" },
        carrier: "",
        trackingNumber: "",
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      const { shipment } = await svc.grpc.getShipment({ id: created.id });
      expect(shipment).toEqual(created);
    });

    it("when the same order is created again with the same content, then the original shipment returns and no second one exists", async () => {
      const first = await create("grpc-repeat-1");
      await svc.grpc.advanceShipment({ id: first.id, toStatus: ShipmentStatus.PICKING });

      const again = await create("grpc-repeat-1");

      expect(again.id).toBe(first.id);
      expect(again.status).toBe(ShipmentStatus.PICKING);
      expect(await countFor("grpc-repeat-1")).toBe(1);
    });

    it("when the same order is created again with other content, then FAILED_PRECONDITION ORDER_ALREADY_SHIPPING", async () => {
      const first = await create("grpc-repeat-2");

      await expectRejected(
        svc.grpc.createShipment({
          ...createRequest("grpc-repeat-2"),
          lines: [{ sku: "MUG-1", quantity: 9n }],
        }),
        { code: Code.FAILED_PRECONDITION, reason: "ORDER_ALREADY_SHIPPING" },
      );
      expect((await svc.grpc.getShipment({ id: first.id })).shipment?.lines).toHaveLength(2);
    });

    it("when the same order is created again for another customer, then FAILED_PRECONDITION ORDER_ALREADY_SHIPPING", async () => {
      const first = await create("grpc-repeat-3");

      await expectRejected(svc.grpc.createShipment(createRequest("grpc-repeat-3", "customer-other")), {
        code: Code.FAILED_PRECONDITION,
        reason: "ORDER_ALREADY_SHIPPING",
      });
      expect((await svc.grpc.getShipment({ id: first.id })).shipment?.customerId).toBe("customer-ada");
    });

    it("when shipments are listed by customer, then only that customer's come back", async () => {
      const mine = (await svc.grpc.createShipment(createRequest("grpc-customer-1", "customer-grpc-1")))
        .shipment;
      await svc.grpc.createShipment(createRequest("grpc-customer-2", "customer-grpc-2"));

      const { shipments } = await svc.grpc.listShipments({ customerId: "customer-grpc-1" });

      expect(shipments).toEqual([mine]);
    });

    const withLines =
      (...lines: CreateShipmentInit["lines"]) =>
      (r: CreateShipmentInit) => ({ ...r, lines });
    const withAddress = (patch: Partial<AddressInit>) => (r: CreateShipmentInit) => ({
      ...r,
      address: { ...(r.address as AddressInit), ...patch },
    });
    it.each<[string, (r: CreateShipmentInit) => CreateShipmentInit, string]>([
      ["an empty sku", withLines({ sku: "", quantity: 1n }), "lines[0].sku"],
      ["a malformed sku", withLines({ sku: "mug 1", quantity: 1n }), "lines[0].sku"],
      ["a zero quantity", withLines({ sku: "MUG-1", quantity: 0n }), "lines[0].quantity"],
      ["a negative quantity", withLines({ sku: "MUG-1", quantity: -3n }), "lines[0].quantity"],
      ["a quantity beyond 2^53", withLines({ sku: "MUG-1", quantity: 2n ** 60n }), "lines[0].quantity"],
      ["no lines", withLines(), "lines"],
      ["no address", ({ address: _, ...rest }) => rest, "address"],
      ["an address without a name", withAddress({ name: "" }), "address.name"],
      ["an address without a city", withAddress({ city: " " }), "address.city"],
      ["an address without a postal code", withAddress({ postalCode: "" }), "address.postal_code"],
      ["a bad country code", withAddress({ countryCode: "de" }), "address.country_code"],
      ["the user-assigned country code XX", withAddress({ countryCode: "XX" }), "address.country_code"],
      ["a NUL byte in the city", withAddress({ city: "Ber\u0000lin" }), "address.city"],
      ["a control character in the name", withAddress({ name: "Ada\u0007" }), "address.name"],
      ["a NUL byte in the order id", (r) => ({ ...r, orderId: "order\u0000-1" }), "order_id"],
      ["a quantity over 1000", withLines({ sku: "MUG-1", quantity: 1001n }), "lines[0].quantity"],
      ["an empty order id", (r) => ({ ...r, orderId: "" }), "order_id"],
      ["a customer id with a NUL", (r) => ({ ...r, customerId: "customer\u0000ada" }), "customer_id"],
    ])(
      "when CreateShipment has %s, then INVALID_ARGUMENT names %s and nothing is stored",
      async (_, change, field) => {
        const orderId = `grpc-bad-${field}`;

        await expectRejected(svc.grpc.createShipment(change(createRequest(orderId))), {
          code: Code.INVALID_ARGUMENT,
          reason: "VALIDATION_FAILED",
          field,
        });
        expect(await countFor(orderId)).toBe(0);
      },
    );

    it("when a request is not valid protobuf, then INVALID_ARGUMENT and nothing is stored", async () => {
      // Field 1 (order_id) "grpc-garbled", then field 2 (lines) claiming 50 bytes and carrying 1.
      const orderId = Buffer.from("grpc-garbled");
      const garbage = Buffer.concat([
        Buffer.from([0x0a, orderId.length]),
        orderId,
        Buffer.from([0x12, 50, 0x0a]),
      ]);

      const error = await rawUnary(
        svc.running.grpcAddress,
        "/orderly.fulfillment.v1.FulfillmentService/CreateShipment",
        garbage,
      );

      expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(await countFor("grpc-garbled")).toBe(0);
    });

    it("when a shipment is advanced step by step, then it reaches DELIVERED with a carrier and tracking number from SHIPPED on", async () => {
      const { id } = await create("grpc-advance-1");
      const seen: number[] = [];
      for (const toStatus of [
        ShipmentStatus.PICKING,
        ShipmentStatus.PACKED,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERED,
      ]) {
        const { shipment } = await svc.grpc.advanceShipment({ id, toStatus });
        seen.push(shipment?.status ?? -1);
        if (toStatus === ShipmentStatus.PACKED) expect(shipment?.trackingNumber).toBe("");
      }

      expect(seen).toEqual([
        ShipmentStatus.PICKING,
        ShipmentStatus.PACKED,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERED,
      ]);
      const { shipment } = await svc.grpc.getShipment({ id });
      expect(shipment).toMatchObject({ status: ShipmentStatus.DELIVERED, carrier: "DHL" });
      expect(shipment?.trackingNumber).toMatch(/^\d{10}$/);
    });

    it("when a shipment is advanced to the status it has, then it returns unchanged", async () => {
      const { id } = await create("grpc-advance-2");
      const { shipment: picked } = await svc.grpc.advanceShipment({ id, toStatus: ShipmentStatus.PICKING });

      const { shipment: again } = await svc.grpc.advanceShipment({ id, toStatus: ShipmentStatus.PICKING });

      expect(again).toEqual(picked);
    });

    it("when a step is skipped, then FAILED_PRECONDITION ILLEGAL_TRANSITION names both statuses and the shipment stays", async () => {
      const { id } = await create("grpc-illegal-1");

      const error = await svc.grpc.advanceShipment({ id, toStatus: ShipmentStatus.SHIPPED }).catch((e) => e);

      expect(error).toMatchObject({
        code: Code.FAILED_PRECONDITION,
        reason: "ILLEGAL_TRANSITION",
        details: { from: "PENDING", to: "SHIPPED" },
      });
      expect((await svc.grpc.getShipment({ id })).shipment?.status).toBe(ShipmentStatus.PENDING);
    });

    it.each<[string, ShipmentStatus, string]>([
      ["no status", ShipmentStatus.UNSPECIFIED, "to_status"],
      ["CANCELLED", ShipmentStatus.CANCELLED, "to_status"],
      ["an unknown status number", 42 as ShipmentStatus, "to_status"],
    ])("when AdvanceShipment asks for %s, then INVALID_ARGUMENT names %s", async (_, toStatus, field) => {
      const { id } = await create(`grpc-advance-bad-${toStatus}`);

      await expectRejected(svc.grpc.advanceShipment({ id, toStatus }), {
        code: Code.INVALID_ARGUMENT,
        reason: "VALIDATION_FAILED",
        field,
      });
      expect((await svc.grpc.getShipment({ id })).shipment?.status).toBe(ShipmentStatus.PENDING);
    });

    it("when a shipment is cancelled twice, then it is CANCELLED with the first reason", async () => {
      const { id } = await create("grpc-cancel-1");

      const { shipment: cancelled } = await svc.grpc.cancelShipment({ id, reason: "customer asked" });
      const { shipment: again } = await svc.grpc.cancelShipment({ id, reason: "another reason" });

      expect(cancelled).toMatchObject({ status: ShipmentStatus.CANCELLED, cancelReason: "customer asked" });
      expect(again).toEqual(cancelled);
    });

    it("when a shipped shipment is cancelled, by id or by order id, then FAILED_PRECONDITION ALREADY_SHIPPED and it stays SHIPPED", async () => {
      const { id } = await create("grpc-cancel-2");
      for (const toStatus of [ShipmentStatus.PICKING, ShipmentStatus.PACKED, ShipmentStatus.SHIPPED])
        await svc.grpc.advanceShipment({ id, toStatus });

      for (const request of [{ id }, { orderId: "grpc-cancel-2" }]) {
        await expectRejected(svc.grpc.cancelShipment({ ...request, reason: "too late" }), {
          code: Code.FAILED_PRECONDITION,
          reason: "ALREADY_SHIPPED",
        });
      }
      expect((await svc.grpc.getShipment({ id })).shipment?.status).toBe(ShipmentStatus.SHIPPED);
    });

    it("when an id is unknown or malformed, then NOT_FOUND SHIPMENT_NOT_FOUND or INVALID_ARGUMENT naming id", async () => {
      await expectRejected(svc.grpc.getShipment({ id: UNKNOWN_ID }), {
        code: Code.NOT_FOUND,
        reason: "SHIPMENT_NOT_FOUND",
      });
      await expectRejected(svc.grpc.advanceShipment({ id: UNKNOWN_ID, toStatus: ShipmentStatus.PICKING }), {
        code: Code.NOT_FOUND,
        reason: "SHIPMENT_NOT_FOUND",
      });
      await expectRejected(svc.grpc.cancelShipment({ id: "not-a-uuid" }), {
        code: Code.INVALID_ARGUMENT,
        reason: "VALIDATION_FAILED",
        field: "id",
      });
    });

    it("when shipments are listed by status a page at a time, then every match comes once in creation order", async () => {
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const { id } = await create(`grpc-list-${n}`);
        await svc.grpc.advanceShipment({ id, toStatus: ShipmentStatus.PICKING });
        ids.push(id);
      }
      await create("grpc-list-pending");

      const listed: string[] = [];
      let pageToken = "";
      do {
        const page = await svc.grpc.listShipments({ status: ShipmentStatus.PICKING, pageSize: 2, pageToken });
        listed.push(...page.shipments.filter((s) => s.orderId.startsWith("grpc-list-")).map((s) => s.id));
        pageToken = page.nextPageToken;
      } while (pageToken !== "");

      expect(listed).toEqual(ids);
    });

    it("when ListShipments has a bad page size, status or page token, then INVALID_ARGUMENT names it", async () => {
      const invalid = { code: Code.INVALID_ARGUMENT, reason: "VALIDATION_FAILED" };
      await expectRejected(svc.grpc.listShipments({ pageSize: 101 }), { ...invalid, field: "page_size" });
      await expectRejected(svc.grpc.listShipments({ status: 42 as ShipmentStatus }), {
        ...invalid,
        field: "status",
      });
      await expectRejected(svc.grpc.listShipments({ pageToken: "nope" }), {
        ...invalid,
        field: "page_token",
      });
      await expectRejected(svc.grpc.listShipments({ orderId: "order\u0000" }), {
        ...invalid,
        field: "order_id",
      });
    });

    it("when an order's shipment is cancelled by order id twice, then both answers are the same CANCELLED shipment", async () => {
      const { id } = await create("grpc-cancel-order-1");

      const { shipment: cancelled } = await svc.grpc.cancelShipment({
        orderId: "grpc-cancel-order-1",
        reason: "saga compensation",
      });
      const { shipment: again } = await svc.grpc.cancelShipment({ orderId: "grpc-cancel-order-1" });

      expect(cancelled).toMatchObject({
        id,
        status: ShipmentStatus.CANCELLED,
        cancelReason: "saga compensation",
      });
      expect(again).toEqual(cancelled);
    });

    it("when an order without a shipment is cancelled by order id, then NOT_FOUND SHIPMENT_NOT_FOUND", async () => {
      await expectRejected(svc.grpc.cancelShipment({ orderId: "grpc-cancel-no-shipment" }), {
        code: Code.NOT_FOUND,
        reason: "SHIPMENT_NOT_FOUND",
      });
    });

    it("when a cancel reason has a NUL byte, then INVALID_ARGUMENT names reason and the shipment stays", async () => {
      const { id } = await create("grpc-cancel-nul");

      await expectRejected(svc.grpc.cancelShipment({ id, reason: "lost\u0000" }), {
        code: Code.INVALID_ARGUMENT,
        reason: "VALIDATION_FAILED",
        field: "reason",
      });
      expect((await svc.grpc.getShipment({ id })).shipment?.status).toBe(ShipmentStatus.PENDING);
    });
  });
}
