import { type InventoryService, ReservationStatus } from "@orderly/contracts/inventory";
import { fromMoneyMessage } from "@orderly/contracts/money";
import { AppError } from "@orderly/kit/errors";
import { OrderReason } from "../domain/order-errors.ts";
import type { InventoryPort, ReserveOutcome } from "../domain/ports/inventory.port.ts";
import { PeerAdapter } from "./peer-adapter.ts";
import { peerBroke } from "./peer-answer.ts";

/** InventoryPort over inventory's gRPC API: inventory's reasons become the order's outcomes here. */
export class InventoryAdapter extends PeerAdapter<typeof InventoryService> implements InventoryPort {
  async reserve(
    reservationId: string,
    lines: readonly { sku: string; quantity: number }[],
  ): Promise<ReserveOutcome> {
    try {
      const { reservation } = await this.peer.reserve(
        { reservationId, lines: lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })) },
        { idempotencyKey: reservationId },
      );
      if (
        reservation?.status === ReservationStatus.RELEASED ||
        reservation?.status === ReservationStatus.EXPIRED
      ) {
        return { kind: "lost" };
      }
      return {
        kind: "reserved",
        lines: (reservation?.lines ?? []).map((line) => {
          const unitPrice = fromMoneyMessage(line.unitPrice);
          if (!unitPrice) throw peerBroke("reservation line without a price");
          return { sku: line.sku, name: line.name, unitPrice };
        }),
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.reason === "ITEM_NOT_FOUND") {
        return { kind: "rejected", reason: OrderReason.SKU_NOT_FOUND, skus: skusIn(error, "skus", lines) };
      }
      if (error.reason === "INSUFFICIENT_STOCK") {
        return {
          kind: "rejected",
          reason: OrderReason.OUT_OF_STOCK,
          skus: skusIn(error, "shortages", lines),
        };
      }
      throw error;
    }
  }

  async release(reservationId: string): Promise<void> {
    try {
      await this.peer.release({ reservationId }, { idempotencyKey: `${reservationId}:release` });
    } catch (error) {
      // Never reserved (the reserve step failed before holding anything): nothing to give back.
      if (error instanceof AppError && error.reason === "RESERVATION_NOT_FOUND") return;
      throw error;
    }
  }

  async commit(reservationId: string): Promise<"committed" | "lost"> {
    try {
      await this.peer.commit({ reservationId }, { idempotencyKey: `${reservationId}:commit` });
      return "committed";
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.reason === "RESERVATION_NOT_HELD" || error.reason === "RESERVATION_NOT_FOUND")
      ) {
        return "lost";
      }
      throw error;
    }
  }
}

/** The SKUs inventory named in its error details, else every SKU of the request. */
function skusIn(error: AppError, key: "skus" | "shortages", lines: readonly { sku: string }[]): string[] {
  const listed = (error.details as Record<string, unknown> | undefined)?.[key];
  if (Array.isArray(listed) && listed.length > 0) {
    return listed.map((entry) =>
      typeof entry === "object" && entry !== null ? String((entry as { sku?: unknown }).sku) : String(entry),
    );
  }
  return lines.map((l) => l.sku);
}
