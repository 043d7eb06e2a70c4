import { ReservationStatus } from "@orderly/contracts/inventory";
import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { failure, fieldsOf, useInventory } from "./support/inventory-harness.ts";

const SEVEN_DAYS_SECONDS = 7n * 24n * 60n * 60n;

for (const kind of testDatabaseKinds()) {
  describe(`reservations over gRPC (${kind})`, () => {
    // One server and database per kind; every test uses its own SKUs and ids.
    const h = useInventory(kind, "grpc_reservations");

    it("when stock is reserved, then every line is held with its name and price and the reservation lasts the default seven days", async () => {
      await h.seed("R-HOLD-A", 5);
      await h.seed("R-HOLD-B", 5);
      const { reservation } = await h.inventory.reserve({
        reservationId: "order-1:reserve",
        lines: [
          { sku: "R-HOLD-B", quantity: 2n },
          { sku: "R-HOLD-A", quantity: 1n },
        ],
      });
      expect(reservation).toMatchObject({
        reservationId: "order-1:reserve",
        status: ReservationStatus.HELD,
        lines: [
          {
            sku: "R-HOLD-B",
            quantity: 2n,
            name: "Item R-HOLD-B",
            unitPrice: { currencyCode: "EUR", amountMinor: 1250n },
          },
          {
            sku: "R-HOLD-A",
            quantity: 1n,
            name: "Item R-HOLD-A",
            unitPrice: { currencyCode: "EUR", amountMinor: 1250n },
          },
        ],
      });
      const seconds = (reservation?.expiresAt?.seconds ?? 0n) - (reservation?.createdAt?.seconds ?? 0n);
      expect(seconds).toBe(SEVEN_DAYS_SECONDS);
      expect(await h.stock("R-HOLD-A")).toEqual({ onHand: 5, reserved: 1, available: 4 });
      expect(await h.stock("R-HOLD-B")).toEqual({ onHand: 5, reserved: 2, available: 3 });
    });

    it("when a Reserve is repeated with its reservation_id, then the original comes back and stock is held once", async () => {
      await h.seed("R-REPEAT", 5);
      const request = { reservationId: "order-2:reserve", lines: [{ sku: "R-REPEAT", quantity: 3n }] };
      const first = await h.inventory.reserve(request);
      const again = await h.inventory.reserve(request);
      expect(again.reservation).toEqual(first.reservation);
      expect(await h.stock("R-REPEAT")).toEqual({ onHand: 5, reserved: 3, available: 2 });

      const other = { ...request, lines: [{ sku: "R-REPEAT", quantity: 1n }] };
      const conflict = await failure(h.inventory.reserve(other));
      expect(conflict).toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "RESERVATION_CONFLICT" });
      expect((await h.stock("R-REPEAT")).reserved).toBe(3);
    });

    it("when one line is short or unknown, then nothing is held (all or nothing) and the shortage is named", async () => {
      await h.seed("R-ALL-A", 5);
      await h.seed("R-ALL-B", 1);
      const short = await failure(
        h.inventory.reserve({
          reservationId: "order-3:reserve",
          lines: [
            { sku: "R-ALL-A", quantity: 2n },
            { sku: "R-ALL-B", quantity: 2n },
          ],
        }),
      );
      expect(short).toMatchObject({
        code: Code.FAILED_PRECONDITION,
        reason: "INSUFFICIENT_STOCK",
        details: { shortages: [{ sku: "R-ALL-B", requested: 2, available: 1 }] },
      });
      const unknown = await failure(
        h.inventory.reserve({
          reservationId: "order-3:reserve",
          lines: [
            { sku: "R-ALL-A", quantity: 2n },
            { sku: "R-ALL-NONE", quantity: 1n },
          ],
        }),
      );
      expect(unknown).toMatchObject({ code: Code.NOT_FOUND, reason: "ITEM_NOT_FOUND" });
      expect(await h.stock("R-ALL-A")).toEqual({ onHand: 5, reserved: 0, available: 5 });
      expect(await h.stock("R-ALL-B")).toEqual({ onHand: 1, reserved: 0, available: 1 });
      // A failed Reserve leaves no trace: the id is unknown and free for a later attempt.
      const released = await failure(h.inventory.release({ reservationId: "order-3:reserve" }));
      expect(released).toMatchObject({ code: Code.NOT_FOUND, reason: "RESERVATION_NOT_FOUND" });
    });

    it("when a reservation is committed (twice), then the goods leave once and it can no longer be released", async () => {
      await h.seed("R-COMMIT", 5);
      await h.inventory.reserve({
        reservationId: "order-4:reserve",
        lines: [{ sku: "R-COMMIT", quantity: 2n }],
      });
      const first = await h.inventory.commit({ reservationId: "order-4:reserve" });
      const again = await h.inventory.commit({ reservationId: "order-4:reserve" });
      expect(first.reservation?.status).toBe(ReservationStatus.COMMITTED);
      expect(again.reservation).toEqual(first.reservation);
      expect(await h.stock("R-COMMIT")).toEqual({ onHand: 3, reserved: 0, available: 3 });

      const release = await failure(h.inventory.release({ reservationId: "order-4:reserve" }));
      expect(release).toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "RESERVATION_COMMITTED" });
      expect(await h.stock("R-COMMIT")).toEqual({ onHand: 3, reserved: 0, available: 3 });
    });

    it("when a reservation is released (twice), then its stock comes back once and it can no longer be committed", async () => {
      await h.seed("R-RELEASE", 5);
      await h.inventory.reserve({
        reservationId: "order-5:reserve",
        lines: [{ sku: "R-RELEASE", quantity: 2n }],
      });
      const first = await h.inventory.release({ reservationId: "order-5:reserve" });
      const again = await h.inventory.release({ reservationId: "order-5:reserve" });
      expect(first.reservation?.status).toBe(ReservationStatus.RELEASED);
      expect(again.reservation).toEqual(first.reservation);
      expect(await h.stock("R-RELEASE")).toEqual({ onHand: 5, reserved: 0, available: 5 });

      const commit = await failure(h.inventory.commit({ reservationId: "order-5:reserve" }));
      expect(commit).toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "RESERVATION_NOT_HELD" });
    });

    it("when a reservation id is unknown, then Release and Commit are RESERVATION_NOT_FOUND", async () => {
      for (const call of [h.inventory.release, h.inventory.commit]) {
        const error = await failure(call({ reservationId: "order-none:reserve" }));
        expect(error).toMatchObject({ code: Code.NOT_FOUND, reason: "RESERVATION_NOT_FOUND" });
      }
    });

    it("when a Reserve has bad fields, then INVALID_ARGUMENT names each field and nothing is held", async () => {
      await h.seed("R-BAD", 5);
      const line = (sku: string, quantity: bigint) => ({ sku, quantity });
      const cases: [{ reservationId: string; lines: { sku: string; quantity: bigint }[] }, string[]][] = [
        [{ reservationId: "", lines: [line("R-BAD", 1n)] }, ["reservation_id"]],
        [{ reservationId: "r".repeat(129), lines: [line("R-BAD", 1n)] }, ["reservation_id"]],
        [{ reservationId: "bad\u0000", lines: [line("R-BAD", 1n)] }, ["reservation_id"]],
        [{ reservationId: "bad-1", lines: [] }, ["lines"]],
        [{ reservationId: "bad-1", lines: [line("R-BAD", 0n)] }, ["lines[0].quantity"]],
        [{ reservationId: "bad-1", lines: [line("R-BAD", -3n)] }, ["lines[0].quantity"]],
        [{ reservationId: "bad-1", lines: [line("R-BAD", 2n ** 63n - 1n)] }, ["lines[0].quantity"]],
        [{ reservationId: "bad-1", lines: [line("R-BAD", 1001n)] }, ["lines[0].quantity"]],
        [{ reservationId: "bad-1", lines: [line("", 1n)] }, ["lines[0].sku"]],
        [{ reservationId: "bad-1", lines: [line("r-bad", 1n)] }, ["lines[0].sku"]],
        [{ reservationId: "bad-1", lines: [line("R-BAD", 1n), line("R-BAD", 1n)] }, ["lines[1].sku"]],
      ];
      for (const [request, fields] of cases) {
        const error = await failure(h.inventory.reserve(request));
        expect({ code: error.code, reason: error.reason, fields: fieldsOf(error) }).toEqual({
          code: Code.INVALID_ARGUMENT,
          reason: "VALIDATION_FAILED",
          fields,
        });
      }
      for (const call of [h.inventory.release, h.inventory.commit]) {
        const error = await failure(call({ reservationId: "" }));
        expect({ code: error.code, fields: fieldsOf(error) }).toEqual({
          code: Code.INVALID_ARGUMENT,
          fields: ["reservation_id"],
        });
      }
      expect(await h.stock("R-BAD")).toEqual({ onHand: 5, reserved: 0, available: 5 });
      const none = await failure(h.inventory.release({ reservationId: "bad-1" }));
      expect(none).toMatchObject({ reason: "RESERVATION_NOT_FOUND" });
    });

    it("when a Reserve is not valid protobuf, then INVALID_ARGUMENT and nothing is held", async () => {
      await h.seed("R-RAW", 2);
      // Field 2 (lines), length-delimited, claims 16 bytes and carries 2.
      const answer = await h.rawCall("Reserve", Uint8Array.of(0x12, 0x10, 0x0a, 0x01));
      expect(answer).toEqual({
        code: Code.INVALID_ARGUMENT,
        details: "malformed request message",
        reason: "VALIDATION_FAILED",
      });
      expect(await h.stock("R-RAW")).toEqual({ onHand: 2, reserved: 0, available: 2 });
    });

    it("when 200 single-unit Reserves race for 50 in stock, then exactly 50 succeed and nothing is oversold", async () => {
      await h.seed("R-HOT", 50);
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          h.inventory.reserve({ reservationId: `race-${i}`, lines: [{ sku: "R-HOT", quantity: 1n }] }),
        ),
      );
      const outcomes: Record<string, number> = {};
      for (const result of results) {
        const key =
          result.status === "fulfilled" ? "ok" : String((result.reason as { reason?: string }).reason);
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      expect(outcomes).toEqual({ ok: 50, INSUFFICIENT_STOCK: 150 });
      expect(await h.stock("R-HOT")).toEqual({ onHand: 50, reserved: 50, available: 0 });
    });
  });
}
