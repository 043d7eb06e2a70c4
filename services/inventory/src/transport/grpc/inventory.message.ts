import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Money as MoneyMessage } from "@orderly/contracts/common";
import {
  type Item as ItemMessage,
  ItemSchema,
  type Reservation as ReservationMessage,
  ReservationSchema,
  ReservationStatus as ReservationStatusMessage,
  type StockAdjustment as StockAdjustmentMessage,
  StockAdjustmentSchema,
} from "@orderly/contracts/inventory";
import { toMoneyMessage } from "@orderly/contracts/money";
import type { Item } from "../../domain/entities/item.ts";
import type { Reservation } from "../../domain/entities/reservation.ts";
import type { StockAdjustment } from "../../domain/entities/stock-adjustment.ts";
import type { Money } from "../../domain/values/money.ts";

/* Domain -> wire: the one place the inventory's gRPC shapes are decided. */

function priceMessage(price: Money): MoneyMessage {
  return toMoneyMessage({ currency: price.currencyCode, amountMinor: price.amountMinor });
}

export function toItemMessage(item: Item): ItemMessage {
  return create(ItemSchema, {
    sku: item.sku,
    name: item.name,
    unitPrice: priceMessage(item.unitPrice),
    onHand: BigInt(item.onHand),
    reserved: BigInt(item.reserved),
    available: BigInt(item.available),
    updatedAt: timestampFromDate(item.updatedAt),
  });
}

export function toAdjustmentMessage(adjustment: StockAdjustment): StockAdjustmentMessage {
  return create(StockAdjustmentSchema, {
    id: adjustment.id,
    sku: adjustment.sku,
    delta: BigInt(adjustment.delta),
    reason: adjustment.reason,
    onHandAfter: BigInt(adjustment.onHandAfter),
    createdAt: timestampFromDate(adjustment.createdAt),
  });
}

export function toReservationMessage(reservation: Reservation): ReservationMessage {
  return create(ReservationSchema, {
    reservationId: reservation.reservationId,
    status: ReservationStatusMessage[reservation.status],
    lines: reservation.lines.map((line) => ({
      sku: line.sku,
      quantity: BigInt(line.quantity),
      unitPrice: priceMessage(line.unitPrice),
      name: line.name,
    })),
    createdAt: timestampFromDate(reservation.createdAt),
    expiresAt: timestampFromDate(reservation.expiresAt),
  });
}
