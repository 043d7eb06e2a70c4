import type { InventoryService as InventoryServiceDesc } from "@orderly/contracts/inventory";
import type { ServiceImplementation } from "@orderly/kit/grpc";
import type { InventoryApi } from "../../domain/inventory-api.ts";
import { toAdjustmentMessage, toItemMessage, toReservationMessage } from "./inventory.message.ts";
import { int64Field, priceField } from "./wire-input.ts";

/** InventoryService over gRPC: wire <-> domain, nothing more. The use cases validate every field. */
export function inventoryGrpcHandlers(api: InventoryApi): ServiceImplementation<typeof InventoryServiceDesc> {
  return {
    async getItem(request) {
      return { item: toItemMessage(await api.getItem({ sku: request.sku })) };
    },
    async listItems(request) {
      // The request's fields are the use case's input, name for name: it goes in as it came.
      const page = await api.listItems(request);
      return { items: page.items.map(toItemMessage), nextPageToken: page.nextPageToken ?? "" };
    },
    async upsertItem(request) {
      const result = await api.upsertItem({
        sku: request.sku,
        name: request.name,
        unitPrice: priceField(request.unitPrice, "unit_price"),
      });
      return { item: toItemMessage(result.item), created: result.created };
    },
    async adjustStock(request) {
      const result = await api.adjustStock({
        sku: request.sku,
        delta: int64Field(request.delta, "delta"),
        reason: request.reason,
        adjustmentId: request.adjustmentId,
      });
      return { item: toItemMessage(result.item), adjustment: toAdjustmentMessage(result.adjustment) };
    },
    async listAdjustments(request) {
      const page = await api.listAdjustments({
        sku: request.sku,
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return {
        adjustments: page.adjustments.map(toAdjustmentMessage),
        nextPageToken: page.nextPageToken ?? "",
      };
    },
    async reserve(request) {
      const reservation = await api.reserve({
        reservationId: request.reservationId,
        lines: request.lines.map((line, index) => ({
          sku: line.sku,
          quantity: int64Field(line.quantity, `lines[${index}].quantity`),
        })),
      });
      return { reservation: toReservationMessage(reservation) };
    },
    async release(request) {
      return {
        reservation: toReservationMessage(await api.release({ reservationId: request.reservationId })),
      };
    },
    async commit(request) {
      return {
        reservation: toReservationMessage(await api.commit({ reservationId: request.reservationId })),
      };
    },
  };
}
