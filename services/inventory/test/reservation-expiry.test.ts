import { ReservationStatus } from "@orderly/contracts/inventory";
import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { eventually, failure, useInventory } from "./support/inventory-harness.ts";

for (const kind of testDatabaseKinds()) {
  describe(`reservation expiry (${kind})`, () => {
    // Reservations last one second here and the sweep runs often, so expiry happens within the test.
    const h = useInventory(kind, "expiry", {
      RESERVATION_TTL_SECONDS: "1",
      RESERVATION_SWEEP_INTERVAL_MS: "50",
    });

    it("when a held reservation outlives its TTL, then the sweep gives its stock back and it can no longer be committed", async () => {
      await h.seed("E-EXPIRE", 5);
      const { reservation } = await h.inventory.reserve({
        reservationId: "order-e:reserve",
        lines: [{ sku: "E-EXPIRE", quantity: 3n }],
      });
      expect(reservation?.status).toBe(ReservationStatus.HELD);

      // GetItem only reads, so stock coming back proves the background sweep expired the reservation.
      const stock = await eventually(
        () => h.stock("E-EXPIRE"),
        (s) => s.available === 5,
      );
      expect(stock).toEqual({ onHand: 5, reserved: 0, available: 5 });

      const commit = await failure(h.inventory.commit({ reservationId: "order-e:reserve" }));
      expect(commit).toMatchObject({
        code: Code.FAILED_PRECONDITION,
        reason: "RESERVATION_NOT_HELD",
        details: { status: "EXPIRED" },
      });
      const release = await h.inventory.release({ reservationId: "order-e:reserve" });
      expect(release.reservation?.status).toBe(ReservationStatus.EXPIRED);
      expect(await h.stock("E-EXPIRE")).toEqual({ onHand: 5, reserved: 0, available: 5 });

      const metrics = await h.http("GET", "/metrics");
      const expired = /^orderly_inventory_reservations_expired_total\{[^}]*\} (\d+)$/m.exec(metrics.body);
      expect(Number(expired?.[1])).toBeGreaterThanOrEqual(1);
    });
  });
}
